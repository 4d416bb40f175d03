package web

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// AccountStore is what account creation needs (a *postgres.DB).
type AccountStore interface {
	CreateAccount(ctx context.Context, a *staff.Account, byStaff int64) error
	CreateFirstAdmin(ctx context.Context, a *staff.Account) (bool, error)
}

// EnsureAdmin creates an admin account "admin" with a generated password
// when no enabled admin exists (first start). The password is returned to
// be shown once; it is stored only as a hash.
func EnsureAdmin(ctx context.Context, st AccountStore) (login, password string, created bool, err error) {
	password = GeneratePassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", "", false, err
	}
	a := &staff.Account{Login: "admin", Name: "Administrator", Role: staff.RoleAdmin, PasswordHash: hash}
	created, err = st.CreateFirstAdmin(ctx, a)
	if err != nil || !created {
		return "", "", false, err
	}
	return a.Login, password, true, nil
}

// AccountRequest is the account an admin (or `yol staff add`) asks for.
type AccountRequest struct {
	Login, Name string
	Role        staff.Role
	Departments []string
	// Language is the console's language for the account (a staff
	// language), or "" to follow the browser.
	Language string
	// Languages are the staff languages Language may be (the pack's).
	Languages []string
	// ContentLanguages are the content languages a translator works on
	// (at least one; ignored for the other roles), each one of
	// Translatable, the content's languages but its source
	// (TranslationLanguages).
	ContentLanguages, Translatable []string
}

// TranslationLanguages lists the codes of the languages of c that
// translators work on: every language but the source, in the order of
// languages.yaml.
func TranslationLanguages(c *bot.Content) []string {
	var out []string
	for _, l := range c.Texts.Languages() {
		if l.Code != c.Texts.Source() {
			out = append(out, l.Code)
		}
	}
	return out
}

// contentLanguages validates the content languages asked for an account
// of role: a translator's are at least one of valid, returned in valid's
// order without repeats; any other role has none (nil).
func contentLanguages(role staff.Role, asked, valid []string) ([]string, error) {
	if role != staff.RoleTranslator {
		return nil, nil
	}
	for _, l := range asked {
		if !slices.Contains(valid, l) {
			return nil, accountError("console.accounts.bad_content_language",
				fmt.Sprintf("content language %q: want one of %s", l, strings.Join(valid, ", ")), "Language", l)
		}
	}
	var out []string
	for _, l := range valid {
		if slices.Contains(asked, l) {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, accountError("console.accounts.no_content_language",
			fmt.Sprintf("a translator's account needs at least one language to translate (%s)", strings.Join(valid, ", ")))
	}
	return out, nil
}

// AccountError is an account that cannot be created as asked: Error is in
// English (for the command line), ID and Data name the console message
// that says it in the staff member's language.
type AccountError struct {
	ID   string
	Data []any // pairs of template data
	msg  string
}

// Error implements error, in English (for the command line).
func (e *AccountError) Error() string { return e.msg }

// accountError is an *AccountError with message id (and its template
// data) for the console and msg for the command line.
func accountError(id, msg string, data ...any) error {
	return &AccountError{ID: id, Data: data, msg: msg}
}

// CreateAccount validates and creates the account req asks for; invalid
// requests are an *AccountError. byStaff is the admin who creates it (0
// from the command line); offices lists the valid department ids.
func CreateAccount(ctx context.Context, st AccountStore, req AccountRequest, password string, offices []string, byStaff int64) (*staff.Account, error) {
	login, role := strings.TrimSpace(req.Login), req.Role
	if !validLogin(login) {
		return nil, accountError("console.accounts.bad_login", fmt.Sprintf("login %q: use 2 to 64 letters, digits, '.', '_', '-' or '@'", login))
	}
	if !staff.ValidRole(role) {
		return nil, accountError("console.accounts.bad_role", fmt.Sprintf("role %q: want staff, translator, editor, reviewer or admin", role))
	}
	if req.Language != "" && !slices.Contains(req.Languages, req.Language) {
		return nil, accountError("console.accounts.bad_language", fmt.Sprintf("language %q: want one of %s, or none to follow the browser",
			req.Language, strings.Join(req.Languages, ", ")))
	}
	var depts []string
	for _, d := range req.Departments {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		known := false
		for _, o := range offices {
			known = known || o == d
		}
		if !known {
			return nil, accountError("console.accounts.bad_department",
				fmt.Sprintf("department %q is not an office id of the content (%s)", d, strings.Join(offices, ", ")), "Department", d)
		}
		depts = append(depts, d)
	}
	if role == staff.RoleStaff && len(depts) == 0 {
		return nil, accountError("console.accounts.no_department", "a staff account needs at least one department")
	}
	if role != staff.RoleStaff {
		depts = nil
	}
	langs, err := contentLanguages(role, req.ContentLanguages, req.Translatable)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	a := &staff.Account{Login: login, Name: strings.TrimSpace(req.Name), Role: role, Departments: depts, PasswordHash: hash, Language: req.Language, ContentLanguages: langs}
	if err := st.CreateAccount(ctx, a, byStaff); err != nil {
		return nil, err
	}
	return a, nil
}

// validLogin reports whether s is a valid login: 2 to 64 ASCII letters,
// digits and . _ - @.
func validLogin(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return false
		}
	}
	return true
}
