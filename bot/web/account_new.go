package web

import (
	"context"
	"fmt"
	"strings"

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

// NewAccount validates and creates an account; byStaff is the admin who
// creates it (0 from the command line). offices lists the valid department
// ids.
func NewAccount(ctx context.Context, st AccountStore, login, name string, role staff.Role, departments []string, password string, offices []string, byStaff int64) (*staff.Account, error) {
	login = strings.TrimSpace(login)
	if !validLogin(login) {
		return nil, fmt.Errorf("login %q: use 2 to 64 letters, digits, '.', '_', '-' or '@'", login)
	}
	if !staff.ValidRole(role) {
		return nil, fmt.Errorf("role %q: want admin, staff or editor", role)
	}
	var depts []string
	for _, d := range departments {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		known := false
		for _, o := range offices {
			known = known || o == d
		}
		if !known {
			return nil, fmt.Errorf("department %q is not an office id of the content (%s)", d, strings.Join(offices, ", "))
		}
		depts = append(depts, d)
	}
	if role == staff.RoleStaff && len(depts) == 0 {
		return nil, fmt.Errorf("a staff account needs at least one department")
	}
	if role != staff.RoleStaff {
		depts = nil
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	a := &staff.Account{Login: login, Name: strings.TrimSpace(name), Role: role, Departments: depts, PasswordHash: hash}
	if err := st.CreateAccount(ctx, a, byStaff); err != nil {
		return nil, err
	}
	return a, nil
}

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
