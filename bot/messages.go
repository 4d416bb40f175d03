package bot

// ServiceMessageIDs are the message IDs the Service renders itself (not
// named in dialogs or knowledge). `yol check` verifies each exists in every
// language.
var ServiceMessageIDs = []string{
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
	"offices.header", "offices.none", "offices.distance", "offices.distance_city", "offices.approximate", "offices.address",
	"offices.address_unknown", "offices.phone", "offices.hours", "offices.lunch", "offices.open_now",
	"offices.closed_now", "offices.hours_unknown",
	"day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun",
	"articles.header",
	"hotlines.header",
	"referral.status.new", "referral.status.claimed", "referral.status.contacted", "referral.status.appointment",
	"referral.status.submitted", "referral.status.regularized", "referral.status.not_eligible",
	"referral.status.no_response", "referral.status.withdrawn",
	"forget.done",
	"mydata.header", "mydata.language", "mydata.consent_yes", "mydata.consent_no", "mydata.campaign",
	"mydata.answers", "mydata.pathway", "mydata.ticks", "mydata.messages", "mydata.referral",
	"mydata.nothing_else", "mydata.forget",
	"freetext.suggestions",
	"command.menu", "command.check", "command.documents", "command.office", "command.person", "command.status",
	"command.language", "command.mydata", "command.forget", "command.help",
	"common.days", // {{.count}} days (plural): the retention period in privacy.notice and mydata.messages
}
