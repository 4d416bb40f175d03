package bot

// Actions of the person's subscription to updates (issue #16).

import (
	"github.com/yol-project/yol/bot/dialog"
	"github.com/yol-project/yol/bot/locale"
)

// actSubscribeUpdates subscribes the person to updates in their language:
// parameter scope "region" for only their region (the department of var
// department or of their place, as choose_department sets), else every
// update. Its result is "ok", or "no_region" when no region is known.
func (t *turn) actSubscribeUpdates(e *dialog.Event) (string, error) {
	region := ""
	if t.param(e, "scope") == "region" {
		region = t.department()
		if region == "" {
			return "no_region", nil
		}
		t.vars()["department"] = region
	}
	since := t.conv.Updates.Since
	if since.IsZero() {
		since = t.now
		if err := t.event("updates_subscribed", map[string]string{"regional": boolString(region != "")}); err != nil {
			return "", err
		}
	}
	t.conv.Updates = Subscription{Since: since, Region: region}
	return "ok", nil
}

// actUnsubscribeUpdates ends the person's subscription. Its result is
// "stopped", or "none" when there was none.
func (t *turn) actUnsubscribeUpdates(e *dialog.Event) (string, error) {
	if !t.conv.Updates.Subscribed() {
		return "none", nil
	}
	t.conv.Updates = Subscription{}
	if err := t.event("updates_unsubscribed", nil); err != nil {
		return "", err
	}
	return "stopped", nil
}

// actUpdatesStatus reports the person's subscription: "all", "region"
// (var department then names their region) or "none".
func (t *turn) actUpdatesStatus(e *dialog.Event) (string, error) {
	switch s := t.conv.Updates; {
	case !s.Subscribed():
		return "none", nil
	case s.Region != "":
		t.vars()["department"] = s.Region
		return "region", nil
	default:
		return "all", nil
	}
}

// boolString returns "yes" or "no".
func boolString(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// UnsubscribeButton is the data of the button under every update: pressed
// whatever the person is doing, it does what /stop does.
const UnsubscribeButton = "!stop_updates"

// UpdateReply returns an update as the person reads it: the text staff
// wrote for their language and, under it, the button that unsubscribes,
// labelled in that language.
func UpdateReply(texts *locale.Bundle, lang, text string) Reply {
	l := texts.Language(lang)
	return Reply{
		Text:    text,
		Buttons: [][]Button{{{Label: texts.Text(lang, "updates.stop_button", nil, nil), Data: UnsubscribeButton}}},
		RTL:     l != nil && l.RTL,
	}
}
