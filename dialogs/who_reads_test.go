package dialogs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
)

// whoReads lists the texts that tell a person who reads their case when
// they ask for a person. Each must name the same organisation, in the same
// words, in every language: the text of referral.recipient. A frightened
// person must never read "a partner organisation" in one place and "the
// migration staff" in another. (referral.q_share names the department
// itself, just after referral.intro.)
var whoReads = []string{
	"privacy.notice", "referral.intro", "apply.referral",
	"pathway.talk_to_person.summary", "pathway.talk_to_person.step1", "pathway.trafficking_victim.step5", "pathway.citizenship_check.step3",
	"article.free_legal_help.body",
}

func TestWhoReadsACaseIsSaidTheSameEverywhere(t *testing.T) {
	c, probs := bot.LoadPack(os.DirFS(".."))
	if c == nil {
		t.Fatalf("the pack does not load: %v", probs)
	}
	for _, l := range c.Texts.Languages() {
		recipient := c.Texts.Raw(l.Code, "referral.recipient")
		if len(recipient) != 1 || strings.TrimSpace(recipient[0]) == "" {
			t.Errorf("%s: referral.recipient is missing", l.Code)
			continue
		}
		for _, id := range whoReads {
			raw := c.Texts.Raw(l.Code, id)
			if len(raw) == 0 {
				t.Errorf("%s: %s is missing", l.Code, id)
				continue
			}
			for _, text := range raw {
				if !strings.Contains(text, recipient[0]) {
					t.Errorf("%s: %s does not name the organisation that reads a case (%q):\n%s", l.Code, id, recipient[0], text)
				}
			}
		}
	}
	// Wordings that once told people their case went somewhere else.
	for id := range c.Texts.IDs("en") {
		for _, text := range c.Texts.Raw("en", id) {
			for _, wrong := range []string{"partner organisation", "helps for free", "in private"} {
				if strings.Contains(strings.ToLower(text), wrong) {
					t.Errorf("en: %s says %q, which misstates who reads a case:\n%s", id, wrong, text)
				}
			}
		}
	}
}
