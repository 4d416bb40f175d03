package bot

import (
	"slices"

	"github.com/yol-project/yol/bot/org"
	"github.com/yol-project/yol/bot/referral"
)

// ServiceMessageIDs are the message IDs the Service renders itself (not
// named in dialogs or knowledge; the command menu's descriptions are named
// in knowledge/settings.yaml). `yol check` verifies each exists in every
// language.
var ServiceMessageIDs = slices.Concat([]string{
	"common.voice_hint",       // a voice message arrived and cannot be transcribed
	"common.unsupported_hint", // a photo, document or sticker arrived
	"common.button_expired",   // an old button was pressed
	"common.share_location",   // label of the share-location keyboard button
	"common.share_contact",    // label of the share-phone keyboard button
	"result.header",           // {{.count}} pathways found (plural)
	"result.not_a_decision",   // information, not a legal decision; confirm at the office
	"pathway.steps", "pathway.apply_at", "pathway.fees", "pathway.processing", "pathway.validity",
	"fact.sources",       // Sources: {{.Sources}} (verified {{.VerifiedOn}})
	"fact.unconfirmed",   // (not confirmed yet)
	"checklist.header",   // {{.count}} documents (plural)
	"checklist.missing",  // {{.count}} documents still missing (plural, 1 or more)
	"checklist.complete", // every document ticked
	"checklist.empty",
	"summary.header", "summary.pathway",
	"summary.documents_at_hand", // the staff summary: the documents the person ticked
	"summary.minimal",           // the staff summary of a person who shares only that they need help
	"offices.header", "offices.none", "offices.distance", "offices.distance_city", "offices.approximate", "offices.address",
	"offices.address_unknown", "offices.phone", "offices.hours", "offices.lunch", "offices.open_now",
	"offices.closed_now", "offices.hours_unknown",
	"day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun",
	"articles.header",
	"hotlines.header",
}, orgKindIDs(), referral.MessageIDs(), []string{ // the name of each status: /status, an open referral
	"forget.done",
	"mydata.header", "mydata.language", "mydata.consent_yes", "mydata.consent_no", "mydata.campaign",
	"mydata.answers", "mydata.pathway", "mydata.ticks", "mydata.messages", "mydata.referral",
	"mydata.nothing_else", "mydata.forget",
	"freetext.suggestions",
	"common.days", // {{.count}} days (plural): the retention period in privacy.notice and mydata.messages
}, phoneMessageIDs)

// ConsoleTextPrefix starts the message ID of every text of the staff
// console (locales/console.<lang>.yaml): staff read them in the pack's
// staff languages, people never.
const ConsoleTextPrefix = "console."

// orgKindIDs lists the texts that say what an organisation reading a case
// is, one per kind of bot/org ("referral.kind.<kind>").
func orgKindIDs() []string {
	var out []string
	for _, k := range org.Kinds() {
		out = append(out, "referral.kind."+string(k))
	}
	return out
}
