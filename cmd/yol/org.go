package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/org"
)

const orgUsage = `Usage: yol org list
       yol org add|edit --id ID --kind legal_aid|protection --name en=NAME[,ru=NAME...]
                   [--protects asylum,trafficking,child] [--cities ID,ID] [--hours TEXT]
                   [--contact TEXT] [--languages az,ru]
       yol org retire ID

Organisations other than the State Migration Service departments (which the
content pack ships) read cases: free legal aid organisations and protection
partners that Yol has an agreement with. Add only organisations that really
take cases through Yol. --cities are city ids of the content (none: the
whole country); a person in danger is offered a protection partner for
their danger first. Give staff of an organisation its id in their account's
--departments. Retiring stops new cases; open ones stay.`

// org manages the organisations that read cases: `yol org`.
func (m *Main) org(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, orgUsage)
		return 2
	}
	switch args[0] {
	case "list", "retire":
		if (args[0] == "list") != (len(args) == 1) || len(args) > 2 {
			fmt.Fprintln(m.Stderr, orgUsage)
			return 2
		}
	case "add", "edit":
	default:
		fmt.Fprintln(m.Stderr, orgUsage)
		return 2
	}
	var o org.Organisation
	if args[0] == "add" || args[0] == "edit" {
		var ok bool
		if o, ok = m.orgFlags(args); !ok {
			return 2
		}
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	content, ok := m.loadContent(cfg)
	if !ok {
		return 1
	}
	db, ok := m.commandDB(ctx, cfg, nil, true)
	if !ok {
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	switch args[0] {
	case "list":
		all, err := db.Organisations(ctx)
		if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tKIND\tPROTECTS\tCITIES\tNAME\tSTATE")
		for _, o := range all {
			state := "takes cases"
			if o.Retired() {
				state = "retired " + o.RetiredAt.Format("2006-01-02")
			}
			var protects []string
			for _, p := range o.Protects {
				protects = append(protects, string(p))
			}
			cities := strings.Join(o.Cities, ",")
			if cities == "" {
				cities = "(country)"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.Kind, strings.Join(protects, ","), cities,
				o.Name(content.Texts.Source(), content.Texts.Source()), state)
		}
		w.Flush()
		return 0
	case "retire":
		if err := db.RetireOrganisation(ctx, args[1], 0); errors.Is(err, bot.ErrNotFound) {
			fmt.Fprintf(m.Stderr, "yol: no organisation %q takes cases\n", args[1])
			return 1
		} else if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
		fmt.Fprintf(m.Stdout, "retired %s: it takes no new cases\n", args[1])
		return 0
	}
	var cities []string
	for _, c := range content.KB.Cities() {
		cities = append(cities, c.ID)
	}
	for _, of := range content.KB.Offices() {
		if of.ID == o.ID {
			fmt.Fprintf(m.Stderr, "yol: %q is an office of the content pack; choose another id\n", o.ID)
			return 1
		}
	}
	if err := o.Validate(content.Texts.Source(), cities); err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	err := db.SaveOrganisation(ctx, o, args[0] == "edit", 0)
	switch {
	case errors.Is(err, org.ErrExists):
		fmt.Fprintf(m.Stderr, "yol: an organisation %q exists already (use yol org edit)\n", o.ID)
		return 1
	case errors.Is(err, bot.ErrNotFound):
		fmt.Fprintf(m.Stderr, "yol: no organisation %q (use yol org add)\n", o.ID)
		return 1
	case err != nil:
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "saved %s organisation %q\n", o.Kind, o.ID)
	return 0
}

// orgFlags reads the flags of `yol org add` and `yol org edit`.
func (m *Main) orgFlags(args []string) (org.Organisation, bool) {
	fs := flag.NewFlagSet("org "+args[0], flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	id := fs.String("id", "", "a short id: small letters, digits and _")
	kind := fs.String("kind", "", "legal_aid or protection")
	names := fs.String("name", "", "its name per language: en=Free Lawyers,ru=...")
	protects := fs.String("protects", "", "for a protection partner: asylum, trafficking, child (comma-separated)")
	cities := fs.String("cities", "", "city ids it serves (none: the whole country)")
	hours := fs.String("hours", "", "working hours, shown to the person (e.g. Mon-Fri 09:00-18:00)")
	contact := fs.String("contact", "", "how Yol's admins reach it (never shown to the person)")
	langs := fs.String("languages", "", "languages its staff speak (comma-separated codes)")
	if err := fs.Parse(args[1:]); err != nil {
		return org.Organisation{}, false
	}
	if fs.NArg() > 0 || *id == "" || *kind == "" || *names == "" {
		fmt.Fprintln(m.Stderr, "yol org "+args[0]+": --id, --kind and --name are required\n\n"+orgUsage)
		return org.Organisation{}, false
	}
	o := org.Organisation{ID: *id, Kind: org.Kind(*kind), Names: map[string]string{}, Hours: strings.TrimSpace(*hours),
		Contact: strings.TrimSpace(*contact), Cities: list(*cities), Languages: list(*langs)}
	for _, p := range list(*protects) {
		o.Protects = append(o.Protects, org.Danger(p))
	}
	for _, kv := range strings.Split(*names, ",") {
		lang, name, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			fmt.Fprintf(m.Stderr, "yol org: --name %q: give each name as lang=name\n", kv)
			return org.Organisation{}, false
		}
		o.Names[strings.TrimSpace(lang)] = strings.TrimSpace(name)
	}
	return o, true
}

// list splits a comma-separated flag value, dropping empty items and
// repeats.
func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
