// Package staff holds the plain types of the staff side that the console
// (bot/web) shows and the store (bot/postgres) reads and writes: accounts,
// their roles and the scope of cases each may see, cases with their
// transcript, notes and history, the queue's filter, audit entries, the
// dashboard's funnel and the limits on sign-in attempts. It has no I/O;
// the rules of a referral's status are in bot/referral.
package staff

import (
	"errors"
	"slices"
	"time"
)

// Role is what an account may do.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"  // every department, accounts, audit log
	RoleStaff  Role = "staff"  // the cases of its own departments only
	RoleEditor Role = "editor" // texts, facts, teaching, drafts, publishing; no personal data
	// RoleTranslator edits and reviews the texts of its own languages
	// (Account.ContentLanguages); no personal data, no publishing.
	RoleTranslator Role = "translator"
	// RoleReviewer approves drafts that change legal text or a fact (a
	// second person, never the draft's author); no personal data.
	RoleReviewer Role = "reviewer"
)

// Roles lists every role in the order the console offers them.
var Roles = []Role{RoleStaff, RoleTranslator, RoleEditor, RoleReviewer, RoleAdmin}

// ValidRole reports whether r is one of the roles.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// ContentRoles are the roles that work on the content (no case, no
// personal data, except admin).
var ContentRoles = []Role{RoleAdmin, RoleEditor, RoleTranslator, RoleReviewer}

// TextRoles may edit the texts of the languages into a draft.
var TextRoles = []Role{RoleAdmin, RoleEditor, RoleTranslator}

// EditorRoles may change facts, teach unanswered questions and publish.
var EditorRoles = []Role{RoleAdmin, RoleEditor}

// ApproverRoles may approve another person's draft.
var ApproverRoles = []Role{RoleAdmin, RoleReviewer}

// Has reports whether the account's role is one of roles.
func (a *Account) Has(roles ...Role) bool { return a != nil && slices.Contains(roles, a.Role) }

// ErrLoginTaken is returned when an account with that login exists.
var ErrLoginTaken = errors.New("login taken")

// ErrNotTranslator is the error of setting the content languages of an
// account that is not a translator's.
var ErrNotTranslator = errors.New("only a translator's account has content languages")

// Account is a staff account.
type Account struct {
	ID           int64
	Login        string
	Name         string
	Role         Role
	Departments  []string
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
	// MustChangePassword: an admin reset the password; the account sees
	// only the password page until it has chosen a new one.
	MustChangePassword bool
	// Language is the code of the language the console is shown in (one
	// of the staff languages); "" follows the browser's Accept-Language.
	Language string
	// ContentLanguages are the languages of the content a translator
	// works on (at least one; never the source language); empty for the
	// other roles, which work on every language their role allows.
	ContentLanguages []string
}

// WorksOnLanguage reports whether the account may edit, and mark
// reviewed, the texts of content language lang, as far as languages go
// (its role is checked apart): a translator only its own languages, every
// other role any language.
func (a *Account) WorksOnLanguage(lang string) bool {
	if a == nil {
		return false
	}
	if a.Role == RoleTranslator {
		return slices.Contains(a.ContentLanguages, lang)
	}
	return true
}

// Scope is the set of cases an account may see; every case query of the
// store takes one and filters in SQL.
type Scope struct {
	All         bool     // every department
	Departments []string // else only these
	None        bool     // no case at all (editors)
}

// Scope returns what the account may see.
func (a *Account) Scope() Scope {
	switch a.Role {
	case RoleAdmin:
		return Scope{All: true}
	case RoleStaff:
		return Scope{Departments: slices.Clone(a.Departments)}
	}
	return Scope{None: true}
}

// SeesCases reports whether the account may open cases at all.
func (a *Account) SeesCases() bool { return a.Role == RoleAdmin || a.Role == RoleStaff }
