package telegram

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/yol-project/yol/bot"
)

func utf8Valid(s string) bool { return utf8.ValidString(s) }

func nowarn(string, ...any) {}

func TestRenderEscaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<script>alert("x")</script>`, `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;`},
		{`<b>bold</b> & <a href="http://e">`, `&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=&quot;http://e&quot;&gt;`},
		{"&amp; stays literal", "&amp;amp; stays literal"},
		{"مرحبا <بك>", "مرحبا &lt;بك&gt;"},
		{"Salam, ə ş ç ğ ı ö ü", "Salam, ə ş ç ğ ı ö ü"},
	}
	for _, tt := range tests {
		reqs := render(7, bot.Reply{Text: tt.in, RTL: true}, nowarn)
		if len(reqs) != 1 || reqs[0].Method != "sendMessage" {
			t.Fatalf("%q: got %+v, want one sendMessage", tt.in, reqs)
		}
		p := reqs[0].Params
		if got := p["text"]; got != tt.want {
			t.Errorf("text: got %q, want %q", got, tt.want)
		}
		if p["parse_mode"] != "HTML" || p["chat_id"] != "7" {
			t.Errorf("params: got %v", p)
		}
	}
}

func TestRenderMarkup(t *testing.T) {
	long := strings.Repeat("ə", 33) // 66 bytes
	tests := []struct {
		name  string
		reply bot.Reply
		want  []string // method and reply_markup of each request
	}{
		{"buttons", bot.Reply{Text: "q", Buttons: [][]bot.Button{{{Label: "Yes <1>", Data: "y"}, {Label: "No", Data: "n"}}}},
			[]string{`sendMessage {"inline_keyboard":[[{"text":"Yes \u003c1\u003e","callback_data":"y"},{"text":"No","callback_data":"n"}]]}`}},
		{"too long callback data dropped", bot.Reply{Text: "q", Buttons: [][]bot.Button{{{Label: "A", Data: long}}, {{Label: "B", Data: "b"}}}},
			[]string{`sendMessage {"inline_keyboard":[[{"text":"B","callback_data":"b"}]]}`}},
		{"every button dropped", bot.Reply{Text: "q", Buttons: [][]bot.Button{{{Label: "A", Data: ""}}}},
			[]string{`sendMessage `}},
		{"location keyboard", bot.Reply{Text: "where?", Keyboard: bot.KeyboardRequestLocation, KeyboardLabel: "Send location"},
			[]string{`sendMessage {"keyboard":[[{"text":"Send location","request_location":true}]],"resize_keyboard":true,"one_time_keyboard":true}`}},
		{"contact keyboard", bot.Reply{Text: "phone?", Keyboard: bot.KeyboardRequestContact},
			[]string{`sendMessage {"keyboard":[[{"text":"📞","request_contact":true}]],"resize_keyboard":true,"one_time_keyboard":true}`}},
		{"remove keyboard", bot.Reply{Text: "ok", Keyboard: bot.KeyboardRemove},
			[]string{`sendMessage {"remove_keyboard":true}`}},
		{"pin", bot.Reply{Text: "office", Pin: &bot.Pin{Lat: 40.1, Lng: 49.2, Title: "SMS <Baku>", Address: "street 1"}, Buttons: [][]bot.Button{{{Label: "Back", Data: "back"}}}},
			[]string{`sendMessage `, `sendVenue {"inline_keyboard":[[{"text":"Back","callback_data":"back"}]]}`}},
		{"pin alone", bot.Reply{Pin: &bot.Pin{Lat: 1, Lng: 2}}, []string{`sendVenue `}},
		{"buttons without text", bot.Reply{Buttons: [][]bot.Button{{{Label: "Go", Data: "g"}}}},
			[]string{`sendMessage {"inline_keyboard":[[{"text":"Go","callback_data":"g"}]]}`}},
		{"nothing", bot.Reply{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range render(1, tt.reply, nowarn) {
				got = append(got, r.Method+" "+r.Params["reply_markup"])
				if r.Method == "sendVenue" && r.Params["title"] == "" {
					t.Errorf("venue without title")
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	var warned []string
	render(1, bot.Reply{Text: "q", Buttons: [][]bot.Button{{{Label: "A", Data: long}}}}, func(m string, _ ...any) { warned = append(warned, m) })
	if len(warned) != 1 || strings.Contains(warned[0], long) {
		t.Errorf("warnings: got %q, want one without the data", warned)
	}
}

func TestSplitText(t *testing.T) {
	para := strings.Repeat("word ", 300) // 1500 characters
	tests := []struct {
		name  string
		text  string
		parts int
	}{
		{"short", "hello", 1},
		{"empty", "", 0},
		{"paragraphs", para + "\n\n" + para + "\n\n" + para + "\n\n" + para, 2},
		{"one long line", strings.Repeat("söz ", 3000), 3},
		{"no spaces", strings.Repeat("x", 9000), 3},
		{"escaping counts", strings.Repeat("<", 1500), 2},
		{"astral runes count twice", strings.Repeat("😀", 2500), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitText(tt.text, maxText)
			if len(parts) != tt.parts {
				t.Errorf("parts: got %d, want %d", len(parts), tt.parts)
			}
			for i, p := range parts {
				if n := len(utf16.Encode([]rune(escapeHTML(p)))); n > maxText {
					t.Errorf("part %d: %d UTF-16 units escaped, want at most %d", i, n, maxText)
				}
				if !utf8.ValidString(p) {
					t.Errorf("part %d is not valid UTF-8", i)
				}
			}
			if strings.Join(strings.Fields(strings.Join(parts, " ")), " ") != strings.Join(strings.Fields(tt.text), " ") &&
				tt.name != "no spaces" && tt.name != "escaping counts" && tt.name != "astral runes count twice" {
				t.Errorf("words lost or changed")
			}
			if strings.Join(parts, "") != strings.ReplaceAll(tt.text, " ", "") && tt.name == "no spaces" {
				t.Errorf("characters lost")
			}
		})
	}
	// Paragraph boundaries are preferred: no part starts mid-paragraph.
	for i, p := range splitText(para+"\n\n"+para+"\n\n"+para, maxText) {
		if !strings.HasPrefix(p, "word") || strings.HasSuffix(p, "\n") {
			t.Errorf("part %d does not start at a paragraph: %q", i, p[:10])
		}
	}
	// Buttons go on the last part only.
	reqs := render(1, bot.Reply{Text: strings.Repeat("a ", 5000), Buttons: [][]bot.Button{{{Label: "x", Data: "x"}}}}, nowarn)
	for i, r := range reqs {
		if has := r.Params["reply_markup"] != ""; has != (i == len(reqs)-1) {
			t.Errorf("request %d of %d: reply_markup %v", i, len(reqs), has)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("hello <b>&amp;</b>", "label", "data", 1.5, true)
	f.Add(strings.Repeat("ə\n\n", 3000), "", strings.Repeat("x", 70), 0.0, false)
	f.Add("\xff\xfe\x00", "\x00", "", -1.0, true)
	f.Fuzz(func(t *testing.T, text, label, data string, lat float64, pin bool) {
		r := bot.Reply{Text: text, Buttons: [][]bot.Button{{{Label: label, Data: data}}}, Keyboard: bot.KeyboardRequestLocation, KeyboardLabel: label}
		if pin {
			r.Pin = &bot.Pin{Lat: lat, Lng: lat, Title: label, Address: text}
		}
		for _, q := range render(1, r, nowarn) {
			if n := len(utf16.Encode([]rune(q.Params["text"]))); n > maxText {
				t.Fatalf("text of %d UTF-16 units", n)
			}
			if strings.ContainsAny(q.Params["text"], "<>\"") {
				t.Fatalf("unescaped markup in %q", q.Params["text"])
			}
			if m := q.Params["reply_markup"]; m != "" && !json.Valid([]byte(m)) {
				t.Fatalf("reply_markup is not JSON: %s", m)
			}
			for k, v := range q.Params {
				if !utf8.ValidString(v) {
					t.Fatalf("%s is not valid UTF-8", k)
				}
			}
		}
	})
}
