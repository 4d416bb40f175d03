package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yol-project/yol/bot/dialog"
)

// actionFunc runs one named action. The returned string is the action's
// result, saved by the dialog and used in its branches. An error aborts the
// whole message (the transaction rolls back); content faults are results.
type actionFunc func(t *turn, e *dialog.Event) (string, error)

// actions are the actions dialogs may use, by name; see ACTIONS.md.
var actions map[string]actionFunc

// HasAction reports whether name is an action the Service provides, for
// checking dialogs (bot/editor).
func HasAction(name string) bool { return actions[name] != nil }

// init fills in actions, the table of the actions dialogs may run by name.
func init() {
	actions = map[string]actionFunc{
		"set_language":         (*turn).actSetLanguage,
		"suggest_language":     (*turn).actSuggestLanguage,
		"consent":              (*turn).actConsent,
		"evaluate_eligibility": (*turn).actEvaluate,
		"show_pathway":         (*turn).actShowPathway,
		"choose_organisation":  (*turn).actChooseOrganisation,
		"set_organisation":     (*turn).actSetOrganisation,
		"tell_wait":            (*turn).actTellWait,
		"show_checklist":       (*turn).actShowChecklist,
		"office_summary":       (*turn).actOfficeSummary,
		"show_offices":         (*turn).actShowOffices,
		"show_article":         (*turn).actShowArticle,
		"list_articles":        (*turn).actListArticles,
		"show_hotlines":        (*turn).actShowHotlines,
		"choose_department":    (*turn).actChooseDepartment,
		"create_referral":      (*turn).actCreateReferral,
		"referral_status":      (*turn).actReferralStatus,
		"forget_me":            (*turn).actForget,
		"my_data":              (*turn).actMyData,
		"answer_free_text":     (*turn).actFreeText,
		"clear_chat":           (*turn).actClearChat,
		"discreet_notices":     (*turn).actDiscreet,
		"subscribe_updates":    (*turn).actSubscribeUpdates,
		"unsubscribe_updates":  (*turn).actUnsubscribeUpdates,
		"updates_status":       (*turn).actUpdatesStatus,
	}
}

// ActionNames lists the actions the Service provides, for `yol check`.
func ActionNames() []string {
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// runAction runs the action e names and returns its result. An unknown
// action is a content error, with the result "error".
func (t *turn) runAction(e *dialog.Event) (string, error) {
	f := actions[e.Action]
	if f == nil {
		t.contentError(e.Dialog, e.Node, fmt.Sprintf("unknown action %q", e.Action))
		return "error", nil
	}
	return f(t, e)
}

// vars returns the session vars, creating the map when it is nil.
func (t *turn) vars() map[string]string {
	if t.conv.Session.Vars == nil {
		t.conv.Session.Vars = map[string]string{}
	}
	return t.conv.Session.Vars
}

// param returns an action parameter, or the session var it names when the
// parameter is written "$var".
func (t *turn) param(e *dialog.Event, name string) string {
	v := e.Params[name]
	if strings.HasPrefix(v, "$") {
		return t.vars()[v[1:]]
	}
	return v
}
