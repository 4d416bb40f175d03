package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Main is the program: main() and the end-to-end tests both run it.
type Main struct {
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	// Ready, when set, receives the HTTP address once `serve` listens (tests).
	Ready chan<- string
}

// NewMain returns a Main wired to the process's standard streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, ReadFile: os.ReadFile}
}

type command struct {
	summary string
	run     func(m *Main, ctx context.Context, args []string) int
}

var commands = map[string]command{
	"serve":   {"run the bot, the staff console and the simulator (HTTP on YOL_HTTP_ADDR)", (*Main).serve},
	"migrate": {"apply database migrations and exit", (*Main).migrate},
	"version": {"print the version and the schema and content versions it knows", (*Main).version},
	"keys":    {"encryption keys: keys new | keys rotate", (*Main).keys},
	"staff":   {"staff console accounts: staff add --login L --role admin|staff|editor [--departments a,b]; staff passwd --login L", (*Main).staff},
	"org":     {"organisations that read cases besides the departments: org list | org add|edit --id ID --kind legal_aid|protection --name en=... | org retire ID", (*Main).org},
	"purge":   {"delete what is older than the retention periods (serve does it hourly)", (*Main).purge},
	"content": {"content versions in the database: content list | push [DIR] | publish ID | export ID DIR", (*Main).content},
	"check":   {"validate the content pack (dialogs, knowledge, locales); --coverage, --graph DIALOG", (*Main).check},
	"chat":    {"talk to the bot in the terminal (--lang xx); reads a script from a pipe", (*Main).chat},
	"ask":     {"print what the bot would answer to a free-text question and what it used: ask [--lang xx] QUESTION", (*Main).ask},
}

// Run runs one subcommand and returns the process exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		m.usage(m.Stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		m.usage(m.Stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(m.Stderr, "yol: unknown command %q\n\n", name)
		m.usage(m.Stderr)
		return 2
	}
	return c.run(m, ctx, args[1:])
}

// usage prints the commands and the configuration yol reads.
func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "Yol guides migrants in Azerbaijan through regularizing their stay.")
	fmt.Fprintln(w, "\nUsage: yol <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `yol <command> --help` for a command's flags. Configuration comes from the environment:")
	fmt.Fprintln(w, "DATABASE_URL, YOL_DATA_DIR, YOL_HTTP_ADDR, YOL_METRICS_ADDR, YOL_METRICS_TOKEN, YOL_DATA_KEY,")
	fmt.Fprintln(w, "YOL_CONTENT_DIR, YOL_SIMULATOR, YOL_TRUSTED_PROXIES, YOL_DB_POOL, TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL,")
	fmt.Fprintln(w, "TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET, OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL and")
	fmt.Fprintln(w, "the retention and rate settings (secrets also as NAME_FILE). See README.md.")
}

// config loads and validates the configuration, printing each problem.
func (m *Main) config() (Config, bool) {
	c, errs := LoadConfig(m.Getenv, m.ReadFile)
	if len(errs) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "yol: configuration has %d problem(s):\n", len(errs))
		for _, e := range errs {
			fmt.Fprintf(&b, "  - %v\n", e)
		}
		io.WriteString(m.Stderr, b.String())
		return c, false
	}
	return c, true
}
