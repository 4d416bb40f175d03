package postgres

import (
	"encoding/json"
	"strings"
)

// A referral's summary is sealed as one value: before organisations read
// cases in their staff's languages it was the plain text in the pack's
// source language; it is now this JSON, with the same text and one per
// staff language. Both are read.
type sealedSummary struct {
	V      int               `json:"v"`
	Source string            `json:"source"`
	ByLang map[string]string `json:"by_lang,omitempty"`
}

// encodeSummary is the text to seal for a summary and its translations.
func encodeSummary(source string, byLang map[string]string) string {
	if len(byLang) == 0 {
		return source
	}
	b, _ := json.Marshal(sealedSummary{V: 1, Source: source, ByLang: byLang}) // strings only: never fails
	return string(b)
}

// decodeSummary reads a sealed summary of either form.
func decodeSummary(s string) (string, map[string]string) {
	if !strings.HasPrefix(s, `{"v":`) {
		return s, nil
	}
	var v sealedSummary
	if json.Unmarshal([]byte(s), &v) != nil || v.V != 1 {
		return s, nil
	}
	return v.Source, v.ByLang
}
