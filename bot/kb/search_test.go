package kb_test

import (
	"testing"

	"github.com/yol-project/yol/bot/kb"
)

func TestSearchArticles(t *testing.T) {
	b := loadReal(t)
	tests := []struct {
		lang, text, want string
	}{
		{"en", "I got a fine because I overstayed", "fines_overstay"},
		{"en", "where can I find a free lawyer?", "free_legal_help"},
		{"ru", "Я потерял паспорт, что делать?", "lost_documents"},
		{"ru", "Какой штраф за просрочку?", "fines_overstay"},
		{"az", "QEYDİYYAT necə edilir?", "registration_place_of_stay"},
		{"az", "Uşaq doğulub, doğum şəhadətnaməsi", "children_born_here"},
		{"fa", "درخواست پناهندگی", "asylum_refugees"},
		{"uz", "Pasportimni olib qo‘yishdi, maosh bermayapti", "trafficking_help"},
		{"en", "my employer wants to give me a work permit", "work_permit_basics"},
		{"tr", "İkamet kaydı nasıl yapılır", "registration_place_of_stay"},
	}
	for _, tt := range tests {
		got := b.SearchArticles(tt.text, tt.lang)
		if len(got) == 0 || got[0].ID != tt.want {
			var ids []string
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			t.Errorf("SearchArticles(%q, %s): got %v, want %s first", tt.text, tt.lang, ids, tt.want)
		}
	}
	for _, q := range []string{"", "   ", "urban xyz"} {
		if got := b.SearchArticles(q, "en"); len(got) != 0 {
			t.Errorf("SearchArticles(%q): got %d articles, want none", q, len(got))
		}
	}
}

func TestFeeAmountText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		fee  kb.Fee
		want string
	}{
		{kb.Fee{Amount: f(120)}, "120"},
		{kb.Fee{Amount: f(300), AmountMax: f(400)}, "300-400"},
		{kb.Fee{Amount: f(0)}, "0"},
		{kb.Fee{Amount: f(12.5)}, "12.5"},
		{kb.Fee{}, ""},
	}
	for _, tt := range tests {
		if got := tt.fee.AmountText(); got != tt.want {
			t.Errorf("AmountText: got %q, want %q", got, tt.want)
		}
	}
}
