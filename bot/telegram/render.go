package telegram

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/yol-project/yol/bot"
)

const (
	// maxText is the most UTF-16 units of escaped text per message: under
	// Telegram's 4096 characters after entity parsing, whatever it counts.
	maxText = 4000
	// maxCallbackData is Telegram's limit on callback_data, in bytes.
	maxCallbackData = 64
	maxVenueField   = 200
)

// request is one Bot API call.
type request struct {
	Method string
	Params tgbotapi.Params
}

// render turns a reply into Bot API calls: the deletions it asks for, the
// text (split when long) with parse_mode HTML and every character escaped,
// then the map pin; a protected reply's messages carry protect_content. The inline
// buttons go on the last call, a reply keyboard on the first (one
// reply_markup per message). warn receives problems, without content.
func render(chatID int64, r bot.Reply, warn func(msg string, args ...any)) []request {
	var reqs []request
	chat := strconv.FormatInt(chatID, 10)
	text := clean(r.Text)
	inline := inlineKeyboard(r.Buttons, warn)
	keyboard := replyKeyboard(r)
	if strings.TrimSpace(text) == "" && r.Pin == nil && (inline != nil || keyboard != nil) {
		text = "⬇"
	}
	for _, part := range splitText(text, maxText) {
		reqs = append(reqs, request{Method: "sendMessage", Params: tgbotapi.Params{
			"chat_id": chat, "text": escapeHTML(part), "parse_mode": "HTML", "disable_web_page_preview": "true",
		}})
	}
	if p := r.Pin; p != nil {
		title := limitRunes(clean(p.Title), maxVenueField)
		if strings.TrimSpace(title) == "" {
			title = "📍"
		}
		addr := limitRunes(clean(p.Address), maxVenueField)
		if strings.TrimSpace(addr) == "" {
			addr = "-"
		}
		reqs = append(reqs, request{Method: "sendVenue", Params: tgbotapi.Params{
			"chat_id": chat, "latitude": strconv.FormatFloat(p.Lat, 'f', -1, 64), "longitude": strconv.FormatFloat(p.Lng, 'f', -1, 64),
			"title": title, "address": addr,
		}})
	}
	dels := deletions(chat, r.Delete)
	if len(reqs) == 0 {
		return dels
	}
	if r.Protect {
		// A sensitive reply cannot be forwarded or saved from the chat.
		for _, q := range reqs {
			q.Params["protect_content"] = "true"
		}
	}
	switch {
	case inline != nil && keyboard != nil && len(reqs) == 1:
		warn("reply has inline buttons and a reply keyboard in one message; the keyboard is left out")
		setMarkup(reqs[0], inline)
	default:
		if keyboard != nil {
			setMarkup(reqs[0], keyboard)
		}
		if inline != nil {
			setMarkup(reqs[len(reqs)-1], inline)
		}
	}
	return append(dels, reqs...)
}

// maxDeleteIDs is the most message ids one deleteMessages call takes.
const maxDeleteIDs = 100

// deletions returns the deleteMessages calls that delete ids from the
// chat, up to maxDeleteIDs a call.
func deletions(chat string, ids []int64) []request {
	var reqs []request
	for len(ids) > 0 {
		n := min(len(ids), maxDeleteIDs)
		b, _ := json.Marshal(ids[:n])
		reqs = append(reqs, request{Method: "deleteMessages", Params: tgbotapi.Params{"chat_id": chat, "message_ids": string(b)}})
		ids = ids[n:]
	}
	return reqs
}

// setMarkup sets a request's reply_markup parameter to markup as JSON.
func setMarkup(r request, markup any) {
	b, _ := json.Marshal(markup)
	r.Params["reply_markup"] = string(b)
}

// inlineKeyboard returns the inline keyboard of the button rows, or nil.
// Buttons whose callback data Telegram would refuse or cut are dropped.
func inlineKeyboard(rows [][]bot.Button, warn func(string, ...any)) any {
	var out [][]tgbotapi.InlineKeyboardButton
	for _, row := range rows {
		var line []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			label := clean(b.Label)
			if len(b.Data) == 0 || len(b.Data) > maxCallbackData || strings.TrimSpace(label) == "" {
				// A trimmed key would mean another button: drop it.
				warn("button dropped: callback data must be 1-64 bytes and the label not empty", "bytes", len(b.Data))
				continue
			}
			data := b.Data
			line = append(line, tgbotapi.InlineKeyboardButton{Text: limitRunes(label, 120), CallbackData: &data})
		}
		if len(line) > 0 {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: out}
}

// replyKeyboard returns the reply keyboard a reply asks for: share a
// location, share a contact or remove the keyboard, or nil.
func replyKeyboard(r bot.Reply) any {
	label := limitRunes(clean(r.KeyboardLabel), 120)
	switch r.Keyboard {
	case bot.KeyboardRequestLocation:
		if strings.TrimSpace(label) == "" {
			label = "📍"
		}
		return tgbotapi.ReplyKeyboardMarkup{Keyboard: [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonLocation(label)}},
			OneTimeKeyboard: true, ResizeKeyboard: true}
	case bot.KeyboardRequestContact:
		if strings.TrimSpace(label) == "" {
			label = "📞"
		}
		return tgbotapi.ReplyKeyboardMarkup{Keyboard: [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonContact(label)}},
			OneTimeKeyboard: true, ResizeKeyboard: true}
	case bot.KeyboardRemove:
		return tgbotapi.ReplyKeyboardRemove{RemoveKeyboard: true}
	}
	return nil
}

// escapeHTML makes text inert under parse_mode HTML: Telegram needs &, <
// and > escaped, and " inside attributes.
func escapeHTML(s string) string {
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// cost is what one rune of plain text counts once escaped, in UTF-16 units.
func cost(r rune) int {
	switch r {
	case '&':
		return 5
	case '<', '>':
		return 4
	case '"':
		return 6
	}
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// splitText cuts plain text into parts whose escaped form is at most max
// UTF-16 units, at a paragraph break when it can, else a line break, else a
// space, else anywhere between two runes. Empty text gives no part.
func splitText(s string, max int) []string {
	var parts []string
	for {
		s = strings.TrimLeft(s, "\n")
		if strings.TrimSpace(s) == "" {
			return parts
		}
		n, fits := 0, len(s)
		for i, r := range s {
			n += cost(r)
			if n > max {
				fits = i
				break
			}
		}
		if fits == len(s) {
			return append(parts, strings.TrimRight(s, " \n"))
		}
		cut := -1
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(s[:fits], sep); i > 0 {
				cut = i
				break
			}
		}
		if cut <= 0 {
			cut = fits
		}
		if part := strings.TrimRight(s[:cut], " \n"); part != "" {
			parts = append(parts, part)
		}
		s = strings.TrimLeft(s[cut:], " ")
	}
}

// limitRunes cuts s to at most n runes.
func limitRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
