package kb

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// FileSettings is the file that makes a pack one country's. It is optional
// to Load (a fixture may do without); `yol check` requires it.
const FileSettings = "settings.yaml"

// Settings are what makes a content pack one country's campaign rather than
// another's: everything else about the country is in the facts and texts.
type Settings struct {
	Country string `yaml:"country"` // ISO 3166-1 alpha-2, e.g. "AZ"
	// OfficialLanguage is the language of the country's offices, e.g. "az":
	// what a person shows at a counter is also given in it.
	OfficialLanguage string `yaml:"official_language"`
	// TimeZone is an IANA name, e.g. "Asia/Baku": offices' opening hours,
	// appointments and the dashboard's days are in it. Load reads it with
	// time.LoadLocation: a program that may run without a zone database
	// embeds one (cmd/yol imports time/tzdata).
	TimeZone string `yaml:"time_zone"`
	// Currency is an ISO 4217 code, e.g. "AZN": the currency of a fee that
	// names none.
	Currency string `yaml:"currency"`
	// CommandMenu is Telegram's command menu, in order.
	CommandMenu CommandMenu `yaml:"command_menu"`
	// StaffLanguages are the languages the staff console is shown in, the
	// fallback first; none: the pack's source language only. The first
	// of them that is not the fallback is the staff chat's language.
	StaffLanguages []string `yaml:"staff_languages,omitempty"`
	// LegalTexts are the message-id prefixes of legal text (e.g.
	// "article."): a console draft that changes one of them, or a fact,
	// is published only after a second person approved it.
	LegalTexts []string `yaml:"legal_texts,omitempty"`
	Note       string   `yaml:"note,omitempty"` // for editors

	zone *time.Location
}

// Location returns the pack's time zone; UTC when the pack names none.
func (s Settings) Location() *time.Location {
	if s.zone == nil {
		return time.UTC
	}
	return s.zone
}

// MenuCommand is one command of the Telegram menu. Its description is a
// text of the dialogs' kind (locales/dialogs.*.yaml), so it is not among
// the knowledge's MessageIDs: the check of the whole pack looks it up.
type MenuCommand struct {
	Command     string // without the slash: "menu"
	Description string // message ID of its description: "command.menu"
	Line        int    // where it is written in settings.yaml
}

// CommandMenu is the command menu, written in YAML as a mapping of command
// to message ID and kept in the order written.
type CommandMenu []MenuCommand

// UnmarshalYAML reads the mapping in order.
func (m *CommandMenu) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: command_menu is a mapping of command to the message ID of its description", n.Line)
	}
	*m = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: command %q: want the message ID of its description", v.Line, k.Value)
		}
		*m = append(*m, MenuCommand{Command: k.Value, Description: v.Value, Line: k.Line})
	}
	return nil
}

type settingsFile struct {
	Spec     int `yaml:"spec"`
	Settings `yaml:",inline"`
}

// loadSettings reads settings.yaml, when the pack has one, and checks it.
func (l *loader) loadSettings() {
	const name = FileSettings
	var f settingsFile
	doc, ok := l.read(name, &f, true)
	if !ok {
		return
	}
	s := f.Settings
	if !isUpper(s.Country, 2) {
		l.errf(name, lineOf(doc, "country", 1), "country %q must be an ISO 3166-1 code of two capital letters, like AZ", s.Country)
	}
	if !isLower(s.OfficialLanguage, 2) {
		l.errf(name, lineOf(doc, "official_language", 1), "official_language %q must be a language code of two small letters, like az", s.OfficialLanguage)
	} else {
		l.language(name, lineOf(doc, "official_language", 1), s.OfficialLanguage)
	}
	if !isUpper(s.Currency, 3) {
		l.errf(name, lineOf(doc, "currency", 1), "currency %q must be an ISO 4217 code of three capital letters, like AZN", s.Currency)
	}
	switch zone, err := time.LoadLocation(s.TimeZone); {
	case s.TimeZone == "" || s.TimeZone == "Local":
		l.errf(name, lineOf(doc, "time_zone", 1), "time_zone %q must be an IANA time zone name, like Asia/Baku", s.TimeZone)
	case err != nil:
		l.errf(name, lineOf(doc, "time_zone", 1), "time_zone %q is not a known IANA time zone name (like Asia/Baku)", s.TimeZone)
	default:
		s.zone = zone
	}
	for i, lang := range s.StaffLanguages {
		if !isLower(lang, 2) {
			l.errf(name, lineOf(doc, "staff_languages", 1), "staff_languages: %q must be a language code of two small letters, like az", lang)
			continue
		}
		for _, earlier := range s.StaffLanguages[:i] {
			if earlier == lang {
				l.errf(name, lineOf(doc, "staff_languages", 1), "staff_languages: %q is listed twice", lang)
			}
		}
		l.language(name, lineOf(doc, "staff_languages", 1), lang)
	}
	seen := map[string]int{}
	for _, c := range s.CommandMenu {
		switch {
		case !isCommand(c.Command):
			l.errf(name, c.Line, "command_menu: %q is not a command name (a-z, 0-9 and _, at most 32)", c.Command)
		case seen[c.Command] > 0:
			l.errf(name, c.Line, "command_menu: %q is listed twice (first at line %d)", c.Command, seen[c.Command])
		default:
			seen[c.Command] = c.Line
			l.commands = append(l.commands, CommandRef{Command: c.Command, File: l.file(name), Line: c.Line})
		}
		if !isMessageID(c.Description) {
			l.errf(name, c.Line, "command_menu: the description of /%s, %q, is not a message ID (want lowercase dotted parts like command.menu)", c.Command, c.Description)
		}
	}
	l.b.settings = s
}

// language records a language code the knowledge names.
func (l *loader) language(name string, line int, lang string) {
	l.languages = append(l.languages, LanguageRef{Lang: lang, File: l.file(name), Line: line})
}

// isCommand accepts what Telegram allows as a command name.
func isCommand(s string) bool {
	return s != "" && len(s) <= 32 && strings.IndexFunc(s, notKeyRune) < 0
}

// isUpper reports whether s is n ASCII capital letters.
func isUpper(s string, n int) bool {
	return len(s) == n && strings.IndexFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

// isLower reports whether s is n ASCII lowercase letters.
func isLower(s string, n int) bool {
	return len(s) == n && strings.IndexFunc(s, func(r rune) bool { return r < 'a' || r > 'z' }) < 0
}
