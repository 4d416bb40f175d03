package bot

// Discreet notices (issue #17): a notice Yol sends without being asked (a
// status change, an appointment or a reminder, a staff message, an update)
// first shows a neutral line, in the person's language, with a "show"
// button; the store holds the details until it is pressed (postgres
// discreetly), unless the person turned discreet notices off (/settings).

// Teaser returns the neutral first line of a discreet notice and its
// "show" label in lang (the pack's source language when the pack lacks
// lang).
func (h *ContentHolder) Teaser(lang string) *Teaser {
	c := h.Load()
	if c.Texts.Language(lang) == nil {
		lang = c.Texts.Source()
	}
	return &Teaser{Text: c.Texts.Text(lang, "phone.notice_teaser", nil, nil), Show: c.Texts.Text(lang, "phone.notice_show", nil, nil)}
}
