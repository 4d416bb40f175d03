package dialogs_test

import (
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/dialog"
)

// convo plays a conversation through the pure engine. Actions return the
// result given in results (default "ok"); a few set vars like the
// application does.
type convo struct {
	t       *testing.T
	set     *dialog.Set
	sess    dialog.Session
	results map[string]string
	says    []string // message IDs said since the last input
	actions []string // actions run since the last input
	ask     dialog.Event
}

func newConvo(t *testing.T) *convo {
	set, _, _ := pack(t)
	return &convo{t: t, set: set, results: map[string]string{}}
}

func (c *convo) apply(events []dialog.Event) {
	c.t.Helper()
	c.says, c.actions = nil, nil
	for steps := 0; steps < 50; steps++ {
		var pending *dialog.Event
		for i := range events {
			e := events[i]
			switch e.Type {
			case dialog.EventSay:
				c.says = append(c.says, e.MessageID)
			case dialog.EventAsk:
				c.ask = e
			case dialog.EventContentError:
				c.t.Fatalf("content error at %s.%s: %s", e.Dialog, e.Node, e.Err)
			case dialog.EventAction:
				pending = &e
			}
		}
		if pending == nil {
			return
		}
		c.actions = append(c.actions, pending.Action)
		res, ok := c.results[pending.Action]
		if !ok {
			res = "ok"
		}
		switch pending.Action {
		case "create_referral":
			if res == "ok" {
				c.setVar("referral_code", "K7M-4QX9")
			}
		case "show_offices":
			if res == "ok" {
				c.setVar("department", "baku_regional")
			}
		}
		events = c.set.Resume(&c.sess, dialog.Input{Kind: dialog.InputActionResult, Value: res}, nil)
	}
	c.t.Fatal("too many actions for one input")
}

func (c *convo) setVar(k, v string) {
	if c.sess.Vars == nil {
		c.sess.Vars = map[string]string{}
	}
	c.sess.Vars[k] = v
}

func (c *convo) start() *convo {
	c.t.Helper()
	c.apply(c.set.Start(&c.sess, dialog.Input{}, nil))
	return c
}

func (c *convo) command(name string) *convo {
	c.t.Helper()
	c.apply(c.set.Resume(&c.sess, dialog.Input{Kind: dialog.InputCommand, Value: name}, nil))
	return c
}

func (c *convo) press(value string) *convo {
	c.t.Helper()
	if !slices.ContainsFunc(c.ask.Buttons, func(b dialog.Button) bool { return b.Value == value }) {
		c.t.Fatalf("question %s has no button %q (buttons %v)", c.ask.MessageID, value, c.ask.Buttons)
	}
	c.apply(c.set.Resume(&c.sess, dialog.Input{Kind: dialog.InputButton, Value: value}, nil))
	return c
}

func (c *convo) input(in dialog.Input) *convo {
	c.t.Helper()
	c.apply(c.set.Resume(&c.sess, in, nil))
	return c
}

// expect checks the messages said, the question asked and its buttons
// (without Back); nil says or buttons are not checked.
func (c *convo) expect(says []string, ask string, buttons ...string) *convo {
	c.t.Helper()
	if says != nil && !slices.Equal(c.says, says) {
		c.t.Errorf("said %v, want %v", c.says, says)
	}
	if c.sess.Wait != dialog.WaitAnswer || c.ask.MessageID != ask {
		c.t.Fatalf("asks %q (wait %q), want %q", c.ask.MessageID, c.sess.Wait, ask)
	}
	if buttons != nil {
		var got []string
		for _, b := range c.ask.Buttons {
			if b.Value != dialog.BackValue {
				got = append(got, b.Value)
			}
		}
		if !slices.Equal(got, buttons) {
			c.t.Errorf("question %s: buttons %v, want %v", ask, got, buttons)
		}
	}
	return c
}

func (c *convo) ran(actions ...string) *convo {
	c.t.Helper()
	if !slices.Equal(c.actions, actions) {
		c.t.Errorf("ran actions %v, want %v", c.actions, actions)
	}
	return c
}

func (c *convo) varIs(k, v string) *convo {
	c.t.Helper()
	if got := c.sess.Var(k); got != v {
		c.t.Errorf("var %s = %q, want %q", k, got, v)
	}
	return c
}

var menuButtons = []string{"eligibility", "documents", "office", "articles", "hotlines", "person", "updates", "language"}

// onboarded returns a conversation at the main menu.
func onboarded(t *testing.T) *convo {
	c := newConvo(t)
	c.results["suggest_language"] = "en"
	c.start().press("yes").press("yes")
	return c.expect(nil, "menu.q", menuButtons...)
}

func TestOnboarding(t *testing.T) {
	c := newConvo(t)
	c.results["suggest_language"] = "ru"
	c.start().ran("suggest_language", "set_language").
		expect([]string{}, "onboarding.q_continue", "yes", "other").varIs("suggested_language", "ru")
	c.press("yes").expect([]string{"privacy.notice"}, "privacy.q_consent", "yes", "no")
	c.results["consent"] = "yes"
	c.press("yes").ran("consent").expect([]string{"privacy.thanks", "updates.offer"}, "menu.q", menuButtons...)
	// A second /start (e.g. a campaign link) goes straight to the menu.
	c.start().ran().expect([]string{}, "menu.q")
}

func TestOnboardingOtherLanguageNoConsent(t *testing.T) {
	c := newConvo(t)
	c.start().press("other").expect(nil, "language.q", "az", "ru", "en", "fa", "tr", "uz", "ar")
	c.press("fa").ran("set_language").varIs("language", "fa").
		expect([]string{"language.changed", "privacy.notice"}, "privacy.q_consent")
	c.results["consent"] = "no"
	c.press("no").ran("consent").expect([]string{"privacy.declined", "updates.offer"}, "menu.q")
}

func TestEligibilityEveryResult(t *testing.T) {
	_, base, _ := pack(t)
	for _, kind := range []string{"protection", "first_step", "regularize", "help", "leave", "error"} {
		t.Run(kind, func(t *testing.T) {
			c := onboarded(t)
			c.press("eligibility")
			for i, q := range base.Questions() {
				c.expect(nil, q.Text)
				if i == 0 && !slices.Contains(c.says, "elig.intro") {
					t.Errorf("no intro before the first question: %v", c.says)
				}
				if q.Help != "" && !slices.Contains(c.says, q.Help) {
					t.Errorf("question %s: help %s not shown", q.ID, q.Help)
				}
				if i == len(base.Questions())-1 {
					c.results["evaluate_eligibility"] = kind
				}
				c.press("unknown").varIs(q.ID, "unknown")
			}
			c.ran("evaluate_eligibility")
			next := map[string]string{"protection": "elig.next.protection", "first_step": "elig.next.first_step", "regularize": "elig.next.regularize"}[kind]
			if next == "" {
				next = "elig.next.help"
			}
			switch kind {
			case "protection":
				c.expect([]string{next}, "elig.q_next", "hotlines", "person", "details", "office", "documents", "menu")
				c.press("hotlines").ran("show_hotlines").expect([]string{}, "elig.q_next")
				c.press("details").ran("show_pathway").expect([]string{}, "elig.q_next")
			case "first_step", "regularize":
				c.expect([]string{next}, "elig.q_next", "details", "documents", "office", "person", "menu")
				c.press("details").ran("show_pathway").expect([]string{}, "elig.q_next")
			default:
				// Not sure, or no clear way: a person first, the help
				// numbers next to it.
				c.expect([]string{next}, "elig.q_next", "person", "hotlines", "details", "documents", "office", "menu")
				c.press("hotlines").ran("show_hotlines").expect([]string{}, "elig.q_next")
				c.press("details").ran("show_pathway").expect([]string{}, "elig.q_next")
			}
			c.press("menu").expect([]string{}, "menu.q")
		})
	}
	// Back goes to the previous question.
	c := onboarded(t)
	c.press("eligibility").press("valid").expect(nil, "question.stay.text")
	c.press(dialog.BackValue).expect(nil, "question.passport.text")
}

func TestChecklist(t *testing.T) {
	c := onboarded(t)
	c.press("documents").expect(nil, "checklist.q_first", "check", "general", "menu")
	c.press("general").ran("show_checklist").varIs("pathways", "legalize_at_sms").
		expect([]string{"checklist.general_intro"}, "checklist.q_after", "summary", "office", "person", "menu")
	c.press("summary").ran("office_summary").expect(nil, "checklist.q_after")
	c.press("menu").expect(nil, "menu.q")

	c.setVar("pathway", "trp_work")
	c.results["show_checklist"] = "empty"
	c.press("documents").ran("show_checklist").expect(nil, "checklist.q_empty", "check", "person", "menu")
	c.press("check").expect(nil, "question.passport.text")
}

func TestFindOffice(t *testing.T) {
	c := onboarded(t)
	c.press("office").expect(nil, "place.q_where", "location", "baku", "sumgayit", "ganja", "lankaran", "shaki", "nakhchivan", "mingachevir", "other_city", "unknown")
	c.press("baku").ran("show_offices").varIs("city", "baku").varIs("location", "").
		expect(nil, "offices.q_after", "documents", "person", "other_place", "menu")
	// Telegram cannot show answer buttons and the share-location keyboard
	// in one message: the location question has no buttons at all.
	c.press("other_place").press("location").expect(nil, "place.q_location")
	if c.ask.Expect != "location" || len(c.ask.Buttons) != 0 {
		t.Errorf("the location question: expect %q, buttons %v; want location and none", c.ask.Expect, c.ask.Buttons)
	}
	c.input(dialog.Input{Kind: dialog.InputText, Text: "Baku"}).
		expect([]string{"common.invalid.location"}, "place.q_location")
	c.input(dialog.Input{Kind: dialog.InputLocation, Lat: 40.68, Lng: 46.36}).
		ran("show_offices").varIs("location", "40.68,46.36").varIs("city", "").expect(nil, "offices.q_after")
	c.press("other_place").press("other_city").expect(nil, "place.q_city")
	c.press("imishli").varIs("city", "imishli").varIs("location", "").expect(nil, "offices.q_after")
	c.results["show_offices"] = "no_place"
	c.press("other_place").press("unknown").varIs("city", "").
		expect([]string{"place.unknown", "offices.no_place"}, "offices.q_none", "other_place", "person", "menu")
	c.press("menu").expect(nil, "menu.q")
	// Typed text that is not a question gets a hint and the question again.
	c.press("office").input(dialog.Input{Kind: dialog.InputText, Text: "Baku"}).
		expect([]string{"common.invalid.choice"}, "place.q_where")
}

func TestReferral(t *testing.T) {
	c := onboarded(t)
	// Who reads it first, then the place, then the department named, then
	// consent: the person never agrees without knowing where it goes.
	c.results["consent"] = "no"
	c.press("person").expect([]string{"referral.intro", "referral.place_intro"}, "place.q_where")
	c.press("ganja").ran("choose_department", "choose_organisation").expect(nil, "referral.q_share", "yes", "no")
	c.press("yes").ran("consent").expect([]string{"privacy.notice"}, "referral.q_consent")
	c.results["consent"] = "yes"
	c.press("yes").ran("consent").expect(nil, "referral.q_contact", "telegram", "phone")
	c.press("phone").expect(nil, "referral.q_phone")
	if c.ask.Expect != "contact" || len(c.ask.Buttons) != 0 {
		t.Errorf("the phone question: expect %q, buttons %v; want contact and none", c.ask.Expect, c.ask.Buttons)
	}
	c.input(dialog.Input{Kind: dialog.InputContact, Phone: "+994 50 123 45 67"}).ran("create_referral", "tell_wait").
		varIs("contact", "phone").varIs("phone", "+994501234567").varIs("city", "ganja").
		expect([]string{"referral.created", "referral.what_next"}, "menu.q")

	// With a department found before, and contact here after all.
	c.setVar("department", "ganja_regional")
	c.press("person").expect([]string{"referral.intro"}, "referral.q_department", "found", "other_place")
	c.press("found").expect(nil, "referral.q_share")
	c.press("yes").ran("consent").expect(nil, "referral.q_contact")
	c.press("telegram").ran("create_referral", "tell_wait").
		varIs("contact", "telegram").varIs("department", "ganja_regional").
		expect([]string{"referral.created", "referral.what_next"}, "menu.q")

	// Another organisation serves the place: a person in danger is offered
	// the protection partner first, and chooses what it may see.
	c.results["choose_organisation"] = "both"
	c.press("person").press("found").ran("choose_organisation").
		expect(nil, "referral.q_org_both", "protection", "department", "legal_aid")
	c.results["set_organisation"] = "protection"
	c.press("protection").ran("set_organisation").varIs("org_kind", "protection").
		expect(nil, "referral.q_share_scope", "all", "minimal")
	c.press("minimal").varIs("share_scope", "minimal").expect(nil, "referral.q_share")
	c.command("menu")
	c.results["choose_organisation"] = "legal_aid"
	c.results["set_organisation"] = "legal_aid"
	c.press("person").press("found").expect(nil, "referral.q_org_legal_aid", "department", "legal_aid")
	c.press("legal_aid").expect(nil, "referral.q_share")
	c.command("menu")
	delete(c.results, "choose_organisation")
	delete(c.results, "set_organisation")

	// Choosing another place forgets the department.
	c.press("person").press("other_place").varIs("department", "").expect(nil, "place.q_where")
	c.command("menu")

	// No sharing, no consent, a failure: each ends politely at the menu.
	c.setVar("department", "ganja_regional")
	c.press("person").press("found").press("no").expect([]string{"referral.not_sent"}, "menu.q")
	c.results["consent"] = "no"
	c.press("person").press("found").press("yes").press("no").expect([]string{"referral.no_consent"}, "menu.q")
	c.results["consent"] = "yes"
	c.results["create_referral"] = "error"
	c.press("person").press("found").press("yes").press("telegram").expect([]string{"referral.failed"}, "menu.q")
}

func TestStatusForgetHelp(t *testing.T) {
	c := onboarded(t)
	c.results["referral_status"] = "none"
	c.command("status").ran("referral_status").expect([]string{"status.none"}, "status.q_none", "person", "menu")
	c.press("person").expect([]string{"referral.intro", "referral.place_intro"}, "place.q_where")
	c.results["referral_status"] = "open"
	c.command("status").expect([]string{"status.open", "status.keep_code"}, "menu.q")
	c.command("help").expect([]string{"help.about", "help.commands", "help.not_a_decision"}, "menu.q")
	c.command("forget").expect([]string{"forget.explain"}, "forget.q_sure", "yes", "no")
	c.press("no").ran().expect([]string{"forget.kept"}, "menu.q")
	c.command("forget").press("yes").ran("forget_me")
	c.command("language").expect(nil, "language.q")
	c.press("uz").ran("set_language").expect([]string{"language.changed"}, "menu.q")
}

func TestArticlesHotlinesFreeText(t *testing.T) {
	c := onboarded(t)
	c.press("articles").ran("list_articles").expect(nil, "articles.q_after", "person", "menu")
	c.press("menu").press("hotlines").ran("show_hotlines").expect(nil, "menu.q")
	c.results["answer_free_text"] = "found"
	c.input(dialog.Input{Kind: dialog.InputText, Text: "How much is the fine?"}).ran("answer_free_text").
		expect([]string{}, "menu.q")
	for _, res := range []string{"unsure", "none", "error"} {
		c.results["answer_free_text"] = res
		c.input(dialog.Input{Kind: dialog.InputText, Text: "where do I get my passport back"}).
			expect([]string{"freetext.not_understood"}, "freetext.q_more", "person", "articles", "go_on")
		c.press("go_on").expect(nil, "menu.q")
	}
}

// TestCommands: every command starts its dialog without a content error.
func TestCommands(t *testing.T) {
	set, _, _ := pack(t)
	for _, cd := range set.Commands() {
		c := onboarded(t)
		c.results["referral_status"] = "none"
		c.command(cd[0])
		if c.sess.Wait != dialog.WaitAnswer {
			t.Errorf("/%s leaves the conversation waiting for %q", cd[0], c.sess.Wait)
		}
	}
}

// TestRandomWalks presses random buttons with random action results: the
// person is never stuck (always a question, with buttons or a typed answer),
// and the content never fails.
func TestRandomWalks(t *testing.T) {
	set, _, _ := pack(t)
	results := map[string][]string{
		"suggest_language": {"en", "ru", "ar"}, "set_language": {"ok", "unknown"}, "consent": {"yes", "no"},
		"evaluate_eligibility": {"regularize", "first_step", "protection", "help", "leave"},
		"show_pathway":         {"regularize", "none"}, "show_checklist": {"ok", "empty"}, "show_offices": {"ok", "none", "no_place"},
		"create_referral": {"ok", "no_consent"}, "referral_status": {"open", "none"}, "answer_free_text": {"found", "unsure", "none"},
	}
	rng := rand.New(rand.NewSource(1))
	for walk := 0; walk < 300; walk++ {
		c := &convo{t: t, set: set, results: map[string]string{}}
		pick := func() {
			for a, rs := range results {
				c.results[a] = rs[rng.Intn(len(rs))]
			}
		}
		pick()
		c.start()
		for step := 0; step < 40; step++ {
			if c.sess.Wait != dialog.WaitAnswer {
				if c.actions[len(c.actions)-1] == "forget_me" {
					break
				}
				t.Fatalf("walk %d step %d: not waiting for an answer after %s", walk, step, c.ask.MessageID)
			}
			if len(c.ask.Buttons) == 0 && c.ask.Expect != "location" && c.ask.Expect != "contact" {
				t.Fatalf("walk %d: question %s has no buttons", walk, c.ask.MessageID)
			}
			if c.ask.Expect == "location" || c.ask.Expect == "contact" {
				if len(c.ask.Buttons) != 0 {
					t.Fatalf("walk %d: %s question %s also has buttons: Telegram would drop its keyboard", walk, c.ask.Expect, c.ask.MessageID)
				}
			}
			pick()
			switch r := rng.Intn(20); {
			case r == 0:
				c.input(dialog.Input{Kind: dialog.InputText, Text: "what is this?"})
			case r == 1 && c.ask.Expect == "location":
				c.input(dialog.Input{Kind: dialog.InputLocation, Lat: 40.4, Lng: 49.8})
			case r == 2 && c.ask.Expect == "contact":
				c.input(dialog.Input{Kind: dialog.InputContact, Phone: "+994501234567"})
			case r == 3:
				cmds := set.Commands()
				c.command(cmds[rng.Intn(len(cmds))][0])
			case len(c.ask.Buttons) == 0:
				c.input(dialog.Input{Kind: dialog.InputLocation, Lat: 40.4, Lng: 49.8, Phone: "+994501234567"}).
					input(dialog.Input{Kind: dialog.InputContact, Phone: "+994501234567"})
			default:
				b := c.ask.Buttons[rng.Intn(len(c.ask.Buttons))]
				c.press(b.Value)
			}
			if c.sess.Wait == dialog.WaitAnswer && strings.HasPrefix(c.ask.MessageID, "[") {
				t.Fatalf("bad question %q", c.ask.MessageID)
			}
		}
	}
}
