package dialogs_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/postgres/pgtest"
	"github.com/yol-project/yol/bot/staff"
)

// orgWorld is the shipped pack on a real PostgreSQL holding two
// organisations admins added: a protection partner against trafficking in
// Baku and free lawyers for the whole country.
type orgWorld struct {
	t   *testing.T
	db  *postgres.DB
	svc *bot.Service
}

const (
	shelterName = "Baku Shelter Partner"
	lawyersName = "Free Lawyers Association"
)

func newOrgWorld(t *testing.T) *orgWorld {
	t.Helper()
	c, probs := bot.LoadPack(os.DirFS(".."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	db := pgtest.DB(t)
	ctx := context.Background()
	for _, o := range []org.Organisation{
		{ID: "shelter_partner", Kind: org.Protection, Protects: []org.Danger{org.Trafficking}, Cities: []string{"baku"},
			Names: map[string]string{"en": shelterName, "ru": "Партнёр-приют Баку"}},
		{ID: "free_lawyers", Kind: org.LegalAid, Names: map[string]string{"en": lawyersName}},
	} {
		if err := o.Validate("en", []string{"baku"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveOrganisation(ctx, o, false, 0); err != nil {
			t.Fatal(err)
		}
	}
	return &orgWorld{t: t, db: db, svc: &bot.Service{Store: db, Content: bot.NewContentHolder(c),
		Log: slog.New(slog.DiscardHandler), Helper: bot.KeywordHelper{}}}
}

// press sends steps (a leading "/" makes a command) in chat and returns
// the last answer.
func (w *orgWorld) press(chat bot.Chat, lang string, steps ...string) bot.Result {
	w.t.Helper()
	var res bot.Result
	for _, s := range steps {
		in := bot.Inbound{Chat: chat, LangHint: lang, Kind: bot.InButton, Data: s}
		if cmd, ok := strings.CutPrefix(s, "/"); ok {
			in = bot.Inbound{Chat: chat, LangHint: lang, Kind: bot.InCommand, Command: cmd}
		}
		var err error
		if res, err = w.svc.Handle(context.Background(), in); err != nil {
			w.t.Fatalf("%s: %v", s, err)
		}
	}
	return res
}

func text(res bot.Result) string {
	var b strings.Builder
	for _, r := range res.Replies {
		b.WriteString(r.Text + "\n")
	}
	return b.String()
}

func buttons(res bot.Result) []string {
	var out []string
	for _, r := range res.Replies {
		for _, row := range r.Buttons {
			for _, b := range row {
				out = append(out, b.Data)
			}
		}
	}
	return out
}

// kept passport, visa ended, informal work, 1-5 years: a sign of
// trafficking (dialogs/tests/personas.yaml).
var trafficked = []string{"eligibility", "taken", "visa_ended", "none", "working_informally", "none", "1to5", "no", "none", "no"}

// TestDangerIsOfferedProtectionFirst: a person whose passport is kept, in
// Baku where a protection partner works, is offered it first, with the
// department and the free lawyers after it, each said for what it is; the
// case goes to the one chosen.
func TestDangerIsOfferedProtectionFirst(t *testing.T) {
	w := newOrgWorld(t)
	chat := bot.Chat{Channel: bot.ChannelSimulator, ID: 1}
	w.press(chat, "en", append([]string{"/start", "yes", "yes"}, trafficked...)...)
	res := w.press(chat, "en", "person", "baku")
	got := text(res)
	if !strings.Contains(got, shelterName) || !strings.Contains(got, lawyersName) || !strings.Contains(got, "not part of the government") {
		t.Fatalf("the choice does not name the organisations for what they are:\n%s", got)
	}
	if b := buttons(res); len(b) < 3 || b[0] != "protection" || b[1] != "department" || b[2] != "legal_aid" {
		t.Errorf("buttons = %v, want the protection partner first", b)
	}
	res = w.press(chat, "en", "protection")
	if got := text(res); !strings.Contains(got, "What may "+shelterName+" see?") || !slices.Equal(buttons(res)[:2], []string{"all", "minimal"}) {
		t.Errorf("the person is not asked what the partner may see:\n%s", got)
	}
	res = w.press(chat, "en", "minimal")
	if got := text(res); !strings.Contains(got, "Send your summary to "+shelterName+"? It is an organisation that protects people in danger") {
		t.Errorf("the question to share does not name the chosen organisation:\n%s", got)
	}
	w.press(chat, "en", "yes", "telegram")
	cases, err := queueOf(context.Background(), w.db, staff.Scope{Departments: []string{"shelter_partner"}})
	if err != nil || len(cases) != 1 {
		t.Fatalf("the partner's queue: %d cases, %v; want the new case", len(cases), err)
	}
	// Only what the person agreed to share: no answer of theirs.
	full, err := w.db.Case(context.Background(), staff.Scope{All: true}, cases[0].ID)
	if err != nil || !strings.HasPrefix(full.Summary, "The person asked for help and chose to share nothing more") || strings.Contains(full.Summary, "passport") {
		t.Errorf("the partner's summary holds more than the person agreed to share (%v):\n%s", err, full.Summary)
	}
	for _, dept := range []string{"baku_central", "baku_regional", "free_lawyers"} {
		if other, _ := queueOf(context.Background(), w.db, staff.Scope{Departments: []string{dept}}); len(other) != 0 {
			t.Errorf("%s sees the partner's case", dept)
		}
	}
}

// TestConsentNamesTheChosenOrganisation: without danger the person is
// offered the department and the free lawyers (never the protection
// partner), and the consent question names the one they chose.
func TestConsentNamesTheChosenOrganisation(t *testing.T) {
	w := newOrgWorld(t)
	chat := bot.Chat{Channel: bot.ChannelSimulator, ID: 2}
	res := w.press(chat, "en", "/start", "yes", "no", "person", "baku")
	if b := buttons(res); !slices.Equal(b[:2], []string{"department", "legal_aid"}) || slices.Contains(b, "protection") {
		t.Errorf("buttons = %v, want the department and the lawyers only", b)
	}
	if strings.Contains(text(res), shelterName) {
		t.Errorf("a person who said no danger was offered the protection partner:\n%s", text(res))
	}
	w.press(chat, "en", "legal_aid")
	res = w.press(chat, "en", "yes")
	if got := text(res); !strings.Contains(got, "To send your case to "+lawyersName+", I must keep your answers") {
		t.Errorf("the consent question does not name the chosen organisation:\n%s", got)
	}
	w.press(chat, "en", "yes", "telegram")
	if cases, _ := queueOf(context.Background(), w.db, staff.Scope{Departments: []string{"free_lawyers"}}); len(cases) != 1 {
		t.Errorf("the lawyers' queue holds %d cases, want 1", len(cases))
	}
}

// TestOnlyTheDepartmentWhereNoOneElseServes: in a city no organisation
// serves besides nationwide lawyers retired by an admin, the person is
// asked about the department alone, as before organisations existed.
func TestOnlyTheDepartmentWhereNoOneElseServes(t *testing.T) {
	w := newOrgWorld(t)
	if err := w.db.RetireOrganisation(context.Background(), "free_lawyers", 0); err != nil {
		t.Fatal(err)
	}
	chat := bot.Chat{Channel: bot.ChannelSimulator, ID: 3}
	res := w.press(chat, "en", "/start", "yes", "yes", "person", "baku")
	if got := text(res); !strings.Contains(got, "Send your summary to") || !strings.Contains(got, "It is a government office.") {
		t.Errorf("want the department's question to share, got:\n%s", got)
	}
}

// TestHandoverToAnotherKindAsksAgain: a department hands a case to free
// lawyers (another kind): the case stays with the department until the
// person agrees, a "no" keeps it there, a "yes" moves it, and an old
// button afterwards changes nothing. A handover between departments moves
// the case at once and tells the person.
func TestHandoverToAnotherKindAsksAgain(t *testing.T) {
	w := newOrgWorld(t)
	ctx := context.Background()
	chat := bot.Chat{Channel: bot.ChannelSimulator, ID: 4}
	w.press(chat, "en", "/start", "yes", "yes", "person", "baku", "department", "yes", "telegram")
	all := staff.Scope{All: true}
	cases, err := queueOf(ctx, w.db, all)
	if err != nil || len(cases) != 1 {
		t.Fatalf("queue: %v %v", cases, err)
	}
	c := cases[0]
	dept := c.Department
	w.db.TakeReplies(ctx, chat)
	ask := func(*staff.Case) *bot.Reply {
		return &bot.Reply{Text: "may the lawyers read it?", Buttons: [][]bot.Button{{{Label: "Yes", Data: bot.HandoverButton + "yes"}, {Label: "No", Data: bot.HandoverButton + "no"}}}}
	}
	with := func() string {
		t.Helper()
		got, err := w.db.Case(ctx, all, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Department + ">" + got.HandoverTo
	}
	if err := w.db.HandOver(ctx, all, c.ID, 0, "free_lawyers", true, ask); err != nil {
		t.Fatal(err)
	}
	if got, want := with(), dept+">free_lawyers"; got != want {
		t.Errorf("before the person answers: %s, want %s", got, want)
	}
	if got, _ := w.db.TakeReplies(ctx, chat); len(got) != 1 || len(got[0].Buttons) != 1 {
		t.Errorf("the person was not asked: %+v", got)
	}
	res := w.press(chat, "en", bot.HandoverButton+"no")
	if got, want := with(), dept+">"; got != want || !strings.Contains(text(res), "stays where it is") {
		t.Errorf("after no: %s (%q), want %s", got, text(res), want)
	}
	if err := w.db.HandOver(ctx, all, c.ID, 0, "free_lawyers", true, ask); err != nil {
		t.Fatal(err)
	}
	res = w.press(chat, "en", bot.HandoverButton+"yes")
	if got, want := with(), "free_lawyers>"; got != want || !strings.Contains(text(res), "now goes to "+lawyersName) {
		t.Errorf("after yes: %s (%q), want %s", got, text(res), want)
	}
	if q, _ := queueOf(ctx, w.db, staff.Scope{Departments: []string{dept}}); len(q) != 0 {
		t.Errorf("the department still sees the case it handed over")
	}
	res = w.press(chat, "en", bot.HandoverButton+"yes")
	if got := text(res); !strings.Contains(got, "There is no question about your case for you to answer now") || with() != "free_lawyers>" {
		t.Errorf("an old handover button: %q, case %s", got, with())
	}
	// Same kind: at once.
	if err := w.db.HandOver(ctx, all, c.ID, 0, "ganja_regional", false, nil); err != nil {
		t.Fatal(err)
	}
	if got := with(); got != "ganja_regional>" {
		t.Errorf("a handover to a department: %s, want it moved at once", got)
	}
	if err := w.db.HandOver(ctx, all, c.ID, 0, "ganja_regional", false, nil); !errors.Is(err, staff.ErrHandover) {
		t.Errorf("a handover to where the case is: %v, want ErrHandover", err)
	}
}

// queueOf is the queue of scope sc, up to 500 cases.
func queueOf(ctx context.Context, db *postgres.DB, sc staff.Scope) ([]staff.Case, error) {
	page, err := db.QueuePage(ctx, sc, staff.QueueFilter{Limit: 500})
	return page.Cases, err
}
