package editor

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/yol-project/yol/bot"

	"go.yaml.in/yaml/v3"

	"github.com/yol-project/yol/bot/locale"
	"github.com/yol-project/yol/bot/problem"
)

// ConversationTest is one scripted conversation an editor wrote in
// dialogs/tests/*.yaml: inputs, and what the bot must say and offer.
type ConversationTest struct {
	Name      string   `yaml:"name"`
	Languages []string `yaml:"languages,omitempty"` // default: every language of the pack
	Steps     []Step   `yaml:"steps"`
	Expect    struct {
		Vars     map[string]string `yaml:"vars,omitempty"`     // session vars at the end
		Referral bool              `yaml:"referral,omitempty"` // a referral was created
	} `yaml:"expect,omitempty"`
	file string
	line int
}

// Step is one input and what must follow it. Exactly one input is set.
type Step struct {
	Command  string `yaml:"command,omitempty"`  // "start", "menu", "start campaign_x"
	Press    string `yaml:"press,omitempty"`    // a button's value
	Text     string `yaml:"text,omitempty"`     // typed text
	Location string `yaml:"location,omitempty"` // "lat,lng"
	Contact  string `yaml:"contact,omitempty"`  // a phone number
	// Says lists message IDs whose text must appear in the replies (in the
	// test's language; template values are not checked).
	Says []string `yaml:"says,omitempty"`
	// NotSays lists message IDs whose text must not appear (a fine shown to
	// a child, "leave" offered to a resident).
	NotSays []string `yaml:"not_says,omitempty"`
	// Buttons lists button values that must be offered.
	Buttons []string `yaml:"buttons,omitempty"`
	line    int
}

// TestFailure is one failed expectation of a conversation test.
type TestFailure struct {
	File, Test, Lang string
	Line             int
	Message          string
}

// String returns the failure as a problem line: file:line: message.
func (f TestFailure) String() string { return f.Problem().String() }

// Problem returns the failure as a problem of the content, at the test's
// line: `file:line: test "name" (lang): message`.
func (f TestFailure) Problem() problem.Problem {
	return problem.Problem{File: f.File, Line: f.Line, Message: fmt.Sprintf("test %q (%s): %s", f.Test, f.Lang, f.Message)}
}

// Transcript is the rendered conversation of one test in one language, for
// golden files.
type Transcript struct {
	File, Test, Lang string
	Text             string
}

// LoadConversationTests reads dir/*.yaml.
func LoadConversationTests(fsys fs.FS, dir string) ([]ConversationTest, []problem.Problem) {
	files, _ := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	sort.Strings(files)
	var tests []ConversationTest
	var probs []problem.Problem
	for _, f := range files {
		raw, err := fs.ReadFile(fsys, f)
		if err != nil {
			probs = append(probs, problem.Problem{File: f, Message: err.Error()})
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			probs = append(probs, problem.Problem{File: f, Message: err.Error()})
			continue
		}
		var file struct {
			Tests []ConversationTest `yaml:"tests"`
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		dec.KnownFields(true)
		if err := dec.Decode(&file); err != nil {
			probs = append(probs, problem.Problem{File: f, Message: strings.TrimPrefix(err.Error(), "yaml: ")})
			continue
		}
		lines := testLines(&doc)
		for i := range file.Tests {
			t := &file.Tests[i]
			t.file = f
			if i < len(lines) {
				t.line = lines[i].line
				for j := range t.Steps {
					if j < len(lines[i].steps) {
						t.Steps[j].line = lines[i].steps[j]
					}
				}
			}
			for j, s := range t.Steps {
				n := 0
				for _, v := range []string{s.Command, s.Press, s.Text, s.Location, s.Contact} {
					if v != "" {
						n++
					}
				}
				if n != 1 {
					probs = append(probs, problem.Problem{File: f, Line: s.line,
						Message: fmt.Sprintf("test %q step %d: give exactly one of command, press, text, location, contact", t.Name, j+1)})
				}
			}
			tests = append(tests, *t)
		}
	}
	return tests, probs
}

type testPos struct {
	line  int
	steps []int
}

// testLines finds the line of each test and of each of its steps.
func testLines(doc *yaml.Node) []testPos {
	if len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "tests" {
			continue
		}
		var out []testPos
		for _, tn := range top.Content[i+1].Content {
			p := testPos{line: tn.Line}
			for j := 0; j+1 < len(tn.Content); j += 2 {
				if tn.Content[j].Value == "steps" {
					for _, sn := range tn.Content[j+1].Content {
						p.steps = append(p.steps, sn.Line)
					}
				}
			}
			out = append(out, p)
		}
		return out
	}
	return nil
}

// RunConversationTests plays each test through a Service on an in-memory
// store, in each of its languages, and returns the failures and the
// rendered transcripts.
func RunConversationTests(ctx context.Context, c *bot.Content, tests []ConversationTest) ([]TestFailure, []Transcript) {
	var fails []TestFailure
	var scripts []Transcript
	for _, t := range tests {
		langs := t.Languages
		if len(langs) == 0 {
			for _, l := range c.Texts.Languages() {
				langs = append(langs, l.Code)
			}
		}
		for _, lang := range langs {
			f, tr := runConversation(ctx, c, t, lang)
			fails = append(fails, f...)
			scripts = append(scripts, tr)
		}
	}
	return fails, scripts
}

// runConversation runs one conversation test in lang against a fresh
// memory store, at a fixed time and with a fixed referral code, and returns
// its failed expectations and the transcript.
func runConversation(ctx context.Context, c *bot.Content, t ConversationTest, lang string) ([]TestFailure, Transcript) {
	store := NewMemoryStore()
	svc := &bot.Service{Store: store, Content: bot.NewContentHolder(c), Log: slog.New(slog.DiscardHandler), Helper: bot.KeywordHelper{},
		Now:     func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }, // a Monday morning in Baku
		NewCode: func() string { return "TST-2345" }}
	var errs []string
	svc.OnContentError = func(d, n, e string) { errs = append(errs, d+"/"+n+": "+e) }
	chat := bot.Chat{Channel: bot.ChannelTerminal, ID: 1}
	var fails []TestFailure
	fail := func(line int, format string, args ...any) {
		fails = append(fails, TestFailure{File: t.file, Test: t.Name, Lang: lang, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	var tr strings.Builder
	for i, s := range t.Steps {
		in := bot.Inbound{Chat: chat, LangHint: lang}
		switch {
		case s.Command != "":
			name, payload, _ := strings.Cut(strings.TrimPrefix(s.Command, "/"), " ")
			in.Kind, in.Command, in.Payload = bot.InCommand, name, payload
		case s.Press != "":
			in.Kind, in.Data = bot.InButton, s.Press
		case s.Text != "":
			in.Kind, in.Text = bot.InText, s.Text
		case s.Location != "":
			a, b, _ := strings.Cut(s.Location, ",")
			lat, _ := strconv.ParseFloat(strings.TrimSpace(a), 64)
			lng, _ := strconv.ParseFloat(strings.TrimSpace(b), 64)
			in.Kind, in.Lat, in.Lng = bot.InLocation, lat, lng
		case s.Contact != "":
			in.Kind, in.Phone = bot.InContact, s.Contact
		default:
			continue
		}
		fmt.Fprintf(&tr, "> %s\n", stepLabel(s))
		res, err := svc.Handle(ctx, in)
		if err != nil {
			fail(s.line, "step %d: %v", i+1, err)
			break
		}
		offered := map[string]bool{}
		var all strings.Builder
		for _, r := range res.Replies {
			all.WriteString(r.Text + "\n")
			writeReply(&tr, r)
			for _, row := range r.Buttons {
				for _, b := range row {
					offered[b.Data] = true
				}
			}
		}
		for _, id := range dedupe(res.Untranslated) {
			fail(s.line, "step %d: %s is not translated into %s: the person reads it in %s", i+1, id, lang, c.Texts.Source())
		}
		if l := c.Texts.Language(lang); l != nil && !l.WrittenInLatin() {
			for _, line := range strings.Split(all.String()+labels(res.Replies), "\n") {
				if run := locale.LatinRun(line); run != "" {
					fail(s.line, "step %d: a line in %s holds Latin words %q: %s", i+1, lang, run, strings.TrimSpace(line))
				}
			}
		}
		for _, id := range append(slices.Clone(s.Says), s.NotSays...) {
			if !c.Texts.Has(lang, id) {
				// A misspelt or untranslated ID would make not_says pass
				// without checking anything.
				fail(s.line, "step %d: %s is not a text of %s", i+1, id, lang)
			}
		}
		for _, id := range s.Says {
			if !saysMessage(all.String(), c, lang, id) {
				fail(s.line, "step %d: the replies do not say %s", i+1, id)
			}
		}
		for _, id := range s.NotSays {
			if saysMessage(all.String(), c, lang, id) {
				fail(s.line, "step %d: the replies say %s, which they must not", i+1, id)
			}
		}
		for _, b := range s.Buttons {
			if !offered[b] {
				fail(s.line, "step %d: no button %q (offered: %s)", i+1, b, strings.Join(sortedKeys(offered), ", "))
			}
		}
	}
	for _, e := range errs {
		fail(t.line, "content error: %s", e)
	}
	if len(t.Expect.Vars) > 0 || t.Expect.Referral {
		var vars map[string]string
		store.InTx(ctx, func(tx bot.Tx) error {
			conv, err := tx.Conversation(ctx, chat)
			if err == nil {
				vars = conv.Session.Vars
			}
			return nil
		})
		for k, want := range t.Expect.Vars {
			if got := vars[k]; got != want {
				fail(t.line, "var %s = %q, want %q", k, got, want)
			}
		}
		if t.Expect.Referral && len(store.Referrals()) == 0 {
			fail(t.line, "no referral was created")
		}
	}
	return fails, Transcript{File: t.file, Test: t.Name, Lang: lang, Text: tr.String()}
}

// stepLabel returns how a step is shown in a transcript: a command, a
// pressed button in brackets, a location, a contact or the text sent.
func stepLabel(s Step) string {
	switch {
	case s.Command != "":
		return "/" + strings.TrimPrefix(s.Command, "/")
	case s.Press != "":
		return "[" + s.Press + "]"
	case s.Location != "":
		return "📍 " + s.Location
	case s.Contact != "":
		return "☎ " + s.Contact
	}
	return s.Text
}

// writeReply writes a reply to a transcript: its text, map pin, buttons and
// keyboard, and a blank line.
func writeReply(b *strings.Builder, r bot.Reply) {
	if r.Text != "" {
		b.WriteString(r.Text + "\n")
	}
	if r.Pin != nil {
		fmt.Fprintf(b, "📍 %s (%.4f, %.4f)\n", r.Pin.Title, r.Pin.Lat, r.Pin.Lng)
	}
	for _, row := range r.Buttons {
		var cells []string
		for _, btn := range row {
			cells = append(cells, "["+btn.Label+" → "+btn.Data+"]")
		}
		b.WriteString("  " + strings.Join(cells, " ") + "\n")
	}
	if r.Keyboard != bot.KeyboardNone {
		fmt.Fprintf(b, "  {%s: %s}\n", r.Keyboard, r.KeyboardLabel)
	}
	b.WriteString("\n")
}

// saysMessage reports whether text contains message id in any plural form.
func saysMessage(text string, c *bot.Content, lang, id string) bool {
	for _, n := range []int{-1, 0, 1, 2, 3, 5, 11, 21, 100} {
		var count any
		if n >= 0 {
			count = n
		}
		if containsRendered(text, c.Texts.Text(lang, id, nil, count)) {
			return true
		}
	}
	return false
}

// containsRendered reports whether text contains a rendered message, whose
// template values (rendered without data as "<no value>") may be anything.
func containsRendered(text, msg string) bool {
	for _, part := range strings.Split(msg, "<no value>") {
		for _, line := range strings.Split(part, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.Contains(text, line) {
				return false
			}
		}
	}
	return true
}

// labels returns the replies' button and keyboard labels, one per line.
func labels(replies []bot.Reply) string {
	var b strings.Builder
	for _, r := range replies {
		for _, row := range r.Buttons {
			for _, btn := range row {
				b.WriteString(btn.Label + "\n")
			}
		}
		if r.KeyboardLabel != "" {
			b.WriteString(r.KeyboardLabel + "\n")
		}
	}
	return b.String()
}

// dedupe returns ids without repeats, in their first order.
func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
