package locale

import "testing"

func TestLatinRun(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"Police of the Ministry of Internal Affairs.", "Police of the Ministry of Internal Affairs"},
		{"پلیس: با 102 تماس بگیرید.", ""},
		{"مرکز خدمات «ASAN xidmət» در سومقاییت", ""}, // a name of two words
		{"UNHCR, IOM و AZN", ""}, // acronyms
		{"\u200e/menu – منوی اصلی\n\u200e/language – تغییر زبان\n\u200e/status – درخواست شما", ""},
		{"ایمیل qeydiyyat@migration.gov.az یا migration.gov.az", ""},
		{"Звоните (012) 919, State Migration Service call centre", "State Migration Service call centre"},
		{"Адрес: \u2068AZ1114, Bakı şəhəri, Binəqədi rayonu, Binəqədi şossesi 202\u2069", ""}, // isolated on purpose
		{"آدرس: \u2068Bakı şəhəri, Binəqədi rayonu\u2069 و Main Office Building Here", "Main Office Building Here"},
		{"آدرس: \u2066Baku City Regional Migration Department\u2069", "Baku City Regional Migration Department"}, // an LTR isolate is not a licence
		{"تلفن: \u2066+994 22 265 19 29\u2069", ""},
		{"the 90 days are over", "the days are over"}, // a number does not break a run of words
		{"", ""},
	}
	for _, tt := range tests {
		if got := LatinRun(tt.text); got != tt.want {
			t.Errorf("LatinRun(%q): got %q, want %q", tt.text, got, tt.want)
		}
	}
}
