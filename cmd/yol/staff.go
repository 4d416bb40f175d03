package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/postgres"
	"github.com/yol-project/yol/bot/staff"
	"github.com/yol-project/yol/bot/web"
)

const staffUsage = `Usage: yol staff add --login LOGIN --role staff|translator|editor|reviewer|admin [--departments ID,ID] [--languages LANG,LANG] [--name NAME]
       yol staff passwd --login LOGIN [--temporary]

add     creates a staff console account.
passwd  sets a new password for an account and ends its sessions (for a
        forgotten password, or the first admin's printed one).

The password is read from standard input when it is piped (echo ... | yol staff ...);
otherwise one is generated and printed once.`

// staff manages console accounts: `yol staff add` and `yol staff passwd`.
func (m *Main) staff(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == "passwd" {
		return m.staffPasswd(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(m.Stderr, staffUsage)
		return 2
	}
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	login := fs.String("login", "", "the sign-in name (letters, digits, . _ - @)")
	role := fs.String("role", "staff", "staff (its departments' cases), translator (texts), editor (texts, facts, teaching, publishing), reviewer (approves drafts) or admin (everything)")
	depts := fs.String("departments", "", "comma-separated office ids of the content (staff only)")
	langs := fs.String("languages", "", "comma-separated codes of the content languages a translator works on (translator only; at least one, never the source language)")
	name := fs.String("name", "", "the person's name, shown in the console")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *login == "" {
		fmt.Fprintln(m.Stderr, "yol staff add: --login is required")
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	content, ok := m.loadContent(cfg)
	if !ok {
		return 1
	}
	password, generated, err := m.staffPassword()
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	db, ok := m.commandDB(ctx, cfg, nil, true)
	if !ok {
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	// Offices and languages are the console's: the live version's, unless
	// YOL_CONTENT_DIR serves the content from files.
	if cfg.ContentDir == "" {
		if content, err = liveContentOr(ctx, db.DB, content); err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return 1
		}
	}
	var offices []string
	for _, o := range content.KB.Offices() {
		offices = append(offices, o.ID)
	}
	// Staff may also work for an organisation admins added (yol org).
	orgs, err := db.Organisations(ctx)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	for _, o := range orgs {
		if !o.Retired() {
			offices = append(offices, o.ID)
		}
	}
	a, err := web.CreateAccount(ctx, db.DB, web.AccountRequest{Login: *login, Name: *name, Role: staff.Role(*role), Departments: list(*depts),
		ContentLanguages: list(*langs), Translatable: web.TranslationLanguages(content)}, password, offices, 0)
	if errors.Is(err, staff.ErrLoginTaken) {
		fmt.Fprintf(m.Stderr, "yol: an account %q exists already\n", *login)
		return 1
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "created %s account %q", a.Role, a.Login)
	if len(a.Departments) > 0 {
		fmt.Fprintf(m.Stdout, " for %s", strings.Join(a.Departments, ", "))
	}
	if len(a.ContentLanguages) > 0 {
		fmt.Fprintf(m.Stdout, " for the texts of %s", strings.Join(a.ContentLanguages, ", "))
	}
	fmt.Fprintln(m.Stdout)
	if generated {
		// Printed once, here; only its hash is stored.
		fmt.Fprintf(m.Stdout, "password (shown once, keep it safe): %s\n", password)
	}
	return 0
}

// staffPasswd sets an account's password: `yol staff passwd --login L`.
func (m *Main) staffPasswd(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("staff passwd", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	login := fs.String("login", "", "the account's sign-in name")
	temporary := fs.Bool("temporary", false, "the account must choose a new password at its next sign-in")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *login == "" || fs.NArg() > 0 {
		fmt.Fprintln(m.Stderr, "yol staff passwd: --login is required (and nothing else)\n\n"+staffUsage)
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	password, generated, err := m.staffPassword()
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	hash, err := web.HashPassword(password)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	db, ok := m.commandDB(ctx, cfg, nil, true)
	if !ok {
		return 1
	}
	defer db.close(context.WithoutCancel(ctx))
	a, err := db.AccountByLogin(ctx, *login)
	if errors.Is(err, bot.ErrNotFound) {
		fmt.Fprintf(m.Stderr, "yol: no account %q (yol staff add creates one)\n", *login)
		return 1
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	if _, err := db.ResetPassword(ctx, a.ID, hash, *temporary, 0); err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintf(m.Stdout, "new password set for %q; its sessions have ended\n", a.Login)
	if *temporary {
		fmt.Fprintln(m.Stdout, "it must choose its own password at the next sign-in")
	}
	if generated {
		// Printed once, here; only its hash is stored.
		fmt.Fprintf(m.Stdout, "password (shown once, keep it safe): %s\n", password)
	}
	return 0
}

// staffPassword reads the password from a piped stdin (first line), or
// generates one when stdin is a terminal or empty.
func (m *Main) staffPassword() (password string, generated bool, err error) {
	if m.Stdin != nil && !isTerminal(m.Stdin) {
		line, err := bufio.NewReader(io.LimitReader(m.Stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("read the password from stdin: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line != "" {
			if len(line) < web.MinPasswordLength {
				return "", false, fmt.Errorf("the password from stdin must have at least %d characters", web.MinPasswordLength)
			}
			return line, false, nil
		}
	}
	return web.GeneratePassword(), true, nil
}

// liveContentOr returns the database's live content version, or fallback
// when there is none yet (a database no `yol serve` has started on).
func liveContentOr(ctx context.Context, db *postgres.DB, fallback *bot.Content) (*bot.Content, error) {
	id, err := db.LiveContent(ctx)
	if errors.Is(err, bot.ErrNotFound) {
		return fallback, nil
	}
	if err != nil {
		return nil, fmt.Errorf("live content: %w", err)
	}
	files, err := db.ContentFiles(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("live content: %w", err)
	}
	c, probs := bot.LoadPack(bot.PackFS(files))
	if c == nil {
		return nil, fmt.Errorf("live content version %d does not load: %s", id, problemLines(probs))
	}
	return c, nil
}
