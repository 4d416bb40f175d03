package org_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/yol-project/yol/bot/org"
)

func ids(os []org.Organisation) string {
	var out []string
	for _, o := range os {
		out = append(out, o.ID)
	}
	return strings.Join(out, ",")
}

func TestChoicesPutProtectionFirst(t *testing.T) {
	all := []org.Organisation{
		{ID: "ganja_dept", Kind: org.Department, FromPack: true},
		{ID: "baku_dept", Kind: org.Department, FromPack: true},
		{ID: "lawyers", Kind: org.LegalAid},
		{ID: "ganja_lawyers", Kind: org.LegalAid, Cities: []string{"ganja"}},
		{ID: "shelter", Kind: org.Protection, Protects: []org.Danger{org.Trafficking}, Cities: []string{"ganja", "baku"}},
		{ID: "refugees", Kind: org.Protection, Protects: []org.Danger{org.Asylum}},
		{ID: "closed", Kind: org.LegalAid, RetiredAt: time.Now()},
	}
	tests := []struct {
		name, city string
		dangers    []org.Danger
		want       string
	}{
		{"no danger", "ganja", nil, "ganja_dept,lawyers,ganja_lawyers"},
		{"forced work in Ganja", "ganja", []org.Danger{org.Trafficking}, "shelter,ganja_dept,lawyers,ganja_lawyers"},
		{"forced work, place unknown", "", []org.Danger{org.Trafficking}, "ganja_dept,lawyers"},
		{"fear of return elsewhere", "sumqayit", []org.Danger{org.Asylum}, "refugees,ganja_dept,lawyers"},
		{"both dangers", "baku", []org.Danger{org.Asylum, org.Trafficking}, "shelter,refugees,ganja_dept,lawyers"},
		{"a child alone, no child partner", "ganja", []org.Danger{org.Child}, "ganja_dept,lawyers,ganja_lawyers"},
	}
	for _, tt := range tests {
		if got := ids(org.Choices(all, "ganja_dept", tt.city, tt.dangers)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cities := []string{"baku", "ganja"}
	good := org.Organisation{ID: "free_lawyers", Kind: org.LegalAid, Names: map[string]string{"en": "Free lawyers"}, Cities: []string{"baku"}}
	if err := good.Validate("en", cities); err != nil {
		t.Errorf("a good organisation: %v", err)
	}
	for _, tt := range []struct {
		name string
		edit func(o *org.Organisation)
		want string
	}{
		{"bad id", func(o *org.Organisation) { o.ID = "Free Lawyers" }, "id"},
		{"no source name", func(o *org.Organisation) { o.Names = map[string]string{"ru": "Юристы"} }, "name in en"},
		{"unknown kind", func(o *org.Organisation) { o.Kind = "ministry" }, "kind"},
		{"protection without danger", func(o *org.Organisation) { o.Kind = org.Protection }, "at least one danger"},
		{"legal aid with danger", func(o *org.Organisation) { o.Protects = []org.Danger{org.Child} }, "only a protection partner"},
		{"unknown city", func(o *org.Organisation) { o.Cities = []string{"atlantis"} }, "atlantis"},
	} {
		o := good
		tt.edit(&o)
		err := o.Validate("en", cities)
		if !errors.Is(err, org.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrInvalid mentioning %q", tt.name, err, tt.want)
		}
	}
}
