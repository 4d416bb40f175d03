package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAsk(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"ask", "--lang", "ru", "потерял", "паспорт,", "что", "делать?"}, []string{"question (ru)", "used, best first:\n  1. article:lost_documents", "article:lost_documents  "}},
		{[]string{"ask", "--lang", "az", "hansı sənədlər lazımdır"}, []string{"opens the journey /documents", "1. journey:documents"}},
		{[]string{"ask", "--lang", "fa", "جریمه چقدره"}, []string{"shows the article fines_overstay"}},
		{[]string{"ask", "who won the football match"}, []string{"question (en)", "nothing matched well", "(none)"}},
	} {
		code, out, errOut := runWith(t, nil, tt.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", tt.args, code, errOut)
		}
		for _, w := range tt.wants {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
	}
	if code, _, _ := runWith(t, nil, "ask"); code != 2 {
		t.Errorf("ask without a question: exit %d, want 2", code)
	}
	if code, _, _ := runWith(t, nil, "ask", "--lang", "xx", "hello"); code != 2 {
		t.Errorf("ask --lang xx: exit %d, want 2", code)
	}
}

func TestAskWithModel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant",
			"content": "Staying without documents is an offence; the fine is 300 to 400 manats [article:fines_overstay]."}}}})
	}))
	defer srv.Close()
	code, out, errOut := runWith(t, map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1"}, "ask", "I stayed here without documents for a year, what can happen to me?")
	if code != 0 || !strings.Contains(out, "answer (model):\n  Staying without documents") || !strings.Contains(out, "article:fines_overstay") {
		t.Errorf("exit %d, output:\n%s\n%s", code, out, errOut)
	}
}
