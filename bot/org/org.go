// Package org is who may read a person's case: an organisation of a kind
// (a State Migration Service department, a free legal aid organisation,
// a protection partner), the places it serves and the dangers it protects
// from, and the order in which a person is offered them.
//
// The content pack ships the departments it can source (its offices);
// admins add the other organisations, those Yol has an agreement with, in
// the console or with `yol org`: nothing here is invented.
package org

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind is what an organisation is, which the person is told in plain words
// before choosing it.
type Kind string

// The kinds of organisation.
const (
	Department Kind = "department" // a State Migration Service department: a government office
	LegalAid   Kind = "legal_aid"  // a free legal aid organisation, not part of the government
	Protection Kind = "protection" // a protection partner, not part of the government
)

// Kinds lists the kinds, in the order the console shows them.
func Kinds() []Kind { return []Kind{Department, LegalAid, Protection} }

// Danger is a reason to be protected first, read from the person's answers.
type Danger string

// The dangers a protection partner may protect from.
const (
	Asylum      Danger = "asylum"      // fear of return: refugee and asylum help
	Trafficking Danger = "trafficking" // forced work or a kept passport: anti-trafficking assistance
	Child       Danger = "child"       // a child alone: child protection
)

// Dangers lists the dangers, in the order the console shows them.
func Dangers() []Danger { return []Danger{Asylum, Trafficking, Child} }

// Organisation is one that reads cases.
type Organisation struct {
	ID   string // a slug (a department's is its office id in the pack)
	Kind Kind
	// Protects lists the dangers a protection partner helps with.
	Protects []Danger
	// Names is the organisation's name by language; the pack's source
	// language is required (it is shown where a language lacks one).
	Names map[string]string
	// Cities are the city ids (the pack's knowledge) it serves; none: the
	// whole country.
	Cities    []string
	Contact   string   // how staff there can be reached (for admins; never shown to the person)
	Hours     string   // working hours as "mon-fri 09:00-18:00", shown to the person
	Languages []string // languages its staff speak
	RetiredAt time.Time
	// FromPack is true for the departments the content pack ships; they are
	// edited in the pack, not in the console.
	FromPack bool
}

// Errors of an organisation that cannot be saved.
var (
	ErrInvalid = errors.New("org: invalid organisation")
	ErrExists  = errors.New("org: an organisation with this id exists")
)

// Name returns the name in lang, or in fallback when lang has none.
func (o *Organisation) Name(lang, fallback string) string {
	if n := strings.TrimSpace(o.Names[lang]); n != "" {
		return n
	}
	return o.Names[fallback]
}

// Retired reports whether the organisation no longer takes cases.
func (o *Organisation) Retired() bool { return !o.RetiredAt.IsZero() }

// Serves reports whether it serves city ("" when the person's place is not
// known: only a nationwide organisation serves for sure).
func (o *Organisation) Serves(city string) bool {
	return len(o.Cities) == 0 || (city != "" && slices.Contains(o.Cities, city))
}

// ProtectsFrom reports whether it is a protection partner for any of ds.
func (o *Organisation) ProtectsFrom(ds []Danger) bool {
	if o.Kind != Protection {
		return false
	}
	for _, d := range ds {
		if slices.Contains(o.Protects, d) {
			return true
		}
	}
	return false
}

// Validate checks an organisation before it is stored; source is the
// pack's source language, which must have a name, and cities the city ids
// the pack knows.
func (o *Organisation) Validate(source string, cities []string) error {
	var bad []string
	if !ValidID(o.ID) {
		bad = append(bad, "the id must be 2 to 40 small letters, digits or _")
	}
	if !slices.Contains(Kinds(), o.Kind) {
		bad = append(bad, fmt.Sprintf("unknown kind %q", o.Kind))
	}
	if strings.TrimSpace(o.Names[source]) == "" {
		bad = append(bad, "a name in "+source+" is required")
	}
	for lang, n := range o.Names {
		if len(n) > 120 || len(lang) != 2 {
			bad = append(bad, "a name is at most 120 characters, under a two-letter language code")
			break
		}
	}
	switch {
	case o.Kind == Protection && len(o.Protects) == 0:
		bad = append(bad, "a protection partner protects from at least one danger")
	case o.Kind != Protection && len(o.Protects) > 0:
		bad = append(bad, "only a protection partner protects from dangers")
	}
	for _, d := range o.Protects {
		if !slices.Contains(Dangers(), d) {
			bad = append(bad, fmt.Sprintf("unknown danger %q", d))
		}
	}
	for _, c := range o.Cities {
		if !slices.Contains(cities, c) {
			bad = append(bad, fmt.Sprintf("unknown city %q", c))
		}
	}
	if len(o.Hours) > 80 || len(o.Contact) > 200 {
		bad = append(bad, "hours are at most 80 characters and the contact 200")
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

// validID reports whether id is a slug of 2 to 40 characters.
func ValidID(id string) bool {
	if len(id) < 2 || len(id) > 40 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// Choices orders the organisations a person may send their case to, among
// those not retired that serve city: protection partners for the person's
// dangers first (danger routes to protection), then the department, then
// free legal aid. Protection partners for other dangers are left out, and
// so are the other departments. department is the State Migration Service
// department chosen for the person's place: it is always a choice when it
// is among all.
func Choices(all []Organisation, department, city string, dangers []Danger) []Organisation {
	var protect, dept, legal []Organisation
	for _, o := range all {
		switch {
		case o.Retired():
		case o.ID == department:
			dept = append(dept, o)
		case o.Kind == Department:
			// Another department: the person chose a place, not this one.
		case !o.Serves(city):
		case o.Kind == Protection && o.ProtectsFrom(dangers):
			protect = append(protect, o)
		case o.Kind == LegalAid:
			legal = append(legal, o)
		}
	}
	return slices.Concat(protect, dept, legal)
}
