package redact_test

import (
	"testing"
	"unicode/utf8"

	"github.com/yol-project/yol/bot/redact"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"call me at +994 50 123 45 67 please", "call me at [phone] please"},
		{"my number is 050-123-45-67", "my number is [phone]"},
		{"(012) 555 12 34", "[phone]"},
		{"passport AA1234567 expired", "passport [id] expired"},
		{"паспорт C01234567, ID AZE 12345678", "паспорт [id], ID [id]"},
		{"write to farida.k@example.com", "write to [email]"},
		{"card 4111 1111 1111 1111", "card [card]"},
		{"born 12.05.1990 in Tabriz", "born [date] in Tabriz"},
		{"تاریخ تولد ۱۳۶۹/۰۲/۲۲", "تاریخ تولد [date]"},
		{"my name is Farida Karimova and I lost my passport", "my name is [name] and I lost my passport"},
		{"Меня зовут Фарида Каримова, я из Ирана", "Меня зовут [name], я из Ирана"},
		{"Mənim adım Əli, pasportum yoxdur", "Mənim adım [name], pasportum yoxdur"},
		{"Benim adım Ayşe Yılmaz ve vizem bitti", "Benim adım [name] ve vizem bitti"},
		{"Mening ismim Dilnoza, ishim yo'q", "Mening ismim [name], ishim yo'q"},
		{"اسم من رضا است", "اسم من [name] است"},
		{"اسمي محمد احمد", "اسمي [name]"},
		{"Adım soyadım Əli Həsənov, vizam bitib", "Adım soyadım [name], vizam bitib"},
		{"My surname is Karimova, my first name is Farida", "My surname is [name], my first name is [name]"},
		{"Mening familiyam Karimov", "Mening familiyam [name]"},
		{"نام خانوادگی من کریمی است", "نام خانوادگی من [name] است"},
		{"اسم عائلتي الأحمد", "اسم عائلتي [name]"},
		{"the fine is 300-400 manat, I stayed 2 years since 2019", "the fine is 300-400 manat, I stayed 2 years since 2019"},
		{"рахмат ۵۰۰ манат", "рахмат 500 манат"},
	}
	for _, tt := range tests {
		if got := redact.Text(tt.in); got != tt.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"my name is Farida", "+994501234567", "اسمي محمد", "4111 1111 1111 1111", "12.05.1990", "AA1234567", "\xff\xfe", "меня зовут"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := redact.Text(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("Redact(%q) = %q: invalid UTF-8", s, out)
		}
		run := 0
		for _, r := range out {
			if r >= '0' && r <= '9' {
				run++
				if run >= 7 {
					t.Fatalf("Redact(%q) = %q: a run of 7 digits is left", s, out)
				}
			} else {
				run = 0
			}
		}
	})
}
