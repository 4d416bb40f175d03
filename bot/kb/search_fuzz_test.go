package kb_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/kb"
)

func TestSearchNormalize(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"az", "QEYDİYYAT, Cərimə!", "qeydiyyat cerime"},
		{"tr", "KAYIT İKAMET ısı", "kayit ikamet isi"},
		{"en", "Don't  PANIC...", "dont panic"},
		{"uz", "Oʻzbekiston o‘tgan o`tgan o'tgan", "ozbekiston otgan otgan otgan"},
		{"uz", "Паспорт муддати ўтган, ҳужжат", "pasport muddati otgan hujjat"},
		{"ru", "Ещё ЁЛКА", "еще елка"},
		{"fa", "مي\u200cخواهم كمك ۱۲۳", "میخواهم کمک 123"},
		{"ar", "الغرامَة أُريد إقامة مؤقتة ٣٠٠", "الغرامه ارید اقامه موقته 300"},
		{"ar", "تـــأشيرة", "تاشیره"},
	}
	for _, tt := range tests {
		if got := kb.Normalize(tt.in, tt.lang); got != tt.want {
			t.Errorf("Normalize(%q, %s) = %q, want %q", tt.in, tt.lang, got, tt.want)
		}
	}
}

func TestSearchMixedScripts(t *testing.T) {
	ix, _ := realIndex(t)
	for _, tt := range []struct{ lang, q, want string }{
		{"uz", "паспортимни йўқотдим", "article:lost_documents"}, // Uzbek in Cyrillic
		{"uz", "потерял паспорт", "article:lost_documents"},      // Russian in an Uzbek chat
		{"az", "cerime ne qeder", "article:fines_overstay"},      // no Azerbaijani letters
		{"en", "Gəncə", "journey:office"},                        // a city in another language
	} {
		r := ix.Route(tt.q, tt.lang)
		if len(r.Answers) == 0 || r.Answers[0] != tt.want {
			t.Errorf("Route(%q, %s) = %v, want %s first", tt.q, tt.lang, r.Answers, tt.want)
		}
	}
}

func FuzzSearchNormalize(f *testing.F) {
	for _, s := range []string{"İstanbul", "o‘tgan", "ўқ", "مي\u200cخواهم", "\u0640\u064e", "\xff", "a'b'c", ""} {
		f.Add(s, "az")
	}
	var ix *kb.Index
	f.Fuzz(func(t *testing.T, s, lang string) {
		n := kb.Normalize(s, lang)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q: stray spaces", s, n)
		}
		if ix == nil {
			ix, _ = realIndex(t)
		}
		ix.Route(s, lang)
	})
}
