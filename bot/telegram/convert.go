package telegram

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/yol-project/yol/bot"
)

// update is one Telegram update converted at the edge: the only place
// where Telegram's types meet bot.Inbound.
type update struct {
	ID         int64
	In         bot.Inbound
	Handle     bool   // false: acknowledged and ignored
	CallbackID string // to answer with answerCallbackQuery, handled or not
	Kind       string // metrics label, a small fixed set
}

// maxVoiceSeconds is the longest voice message Yol transcribes.
const maxVoiceSeconds = 120

// maxUpdateID bounds the update ids Yol accepts: Telegram's identifiers fit
// in 53 bits (a JSON number read as a double keeps them exactly), and the
// next polling offset (id + 1) must not overflow into a negative offset,
// which Telegram reads as "the last updates only" and forgets the others.
const maxUpdateID = 1 << 53

// validUpdateID reports whether id is one Yol can record and acknowledge.
func validUpdateID(id int64) bool { return id > 0 && id <= maxUpdateID }

// decodeUpdate reads one update from its JSON. ok is false when not even
// the update_id can be read, or it is out of range.
func decodeUpdate(raw []byte, staffChatID int64) (update, bool) {
	var u tgbotapi.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		var id struct {
			UpdateID int64 `json:"update_id"`
		}
		if json.Unmarshal(raw, &id) != nil || !validUpdateID(id.UpdateID) {
			return update{}, false
		}
		return update{ID: id.UpdateID, Kind: "ignored"}, true
	}
	if !validUpdateID(int64(u.UpdateID)) {
		return update{}, false
	}
	return convert(&u, staffChatID), true
}

// convert turns an update into an Inbound. Updates that are not a person's
// own doing in a private chat with the bot are ignored.
func convert(u *tgbotapi.Update, staffChatID int64) update {
	out := update{ID: int64(u.UpdateID), Kind: "ignored"}
	switch {
	case u.Message != nil:
		m := u.Message
		if m.Chat == nil || m.From == nil || m.Chat.Type != "private" || m.Chat.ID == staffChatID || m.From.IsBot {
			// Groups, channels and the staff chat are not a person's
			// conversation (staff chat commands are not handled yet).
			return out
		}
		in := inbound(int64(u.UpdateID), m.Chat.ID, m.From, m.Date)
		in.MessageID = int64(m.MessageID) // to delete it from the chat later
		if !message(m, &in) {
			return out
		}
		out.In, out.Handle, out.Kind = in, true, string(in.Kind)
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		out.CallbackID = q.ID
		if q.From == nil || q.Message == nil || q.Message.Chat == nil || q.Message.Chat.Type != "private" || q.Data == "" {
			return out
		}
		in := inbound(int64(u.UpdateID), q.Message.Chat.ID, q.From, 0)
		in.Kind, in.Data = bot.InButton, clean(q.Data)
		out.In, out.Handle, out.Kind = in, true, string(in.Kind)
	case u.MyChatMember != nil:
		cm := u.MyChatMember
		if cm.Chat.Type != "private" {
			return out
		}
		in := inbound(int64(u.UpdateID), cm.Chat.ID, &cm.From, cm.Date)
		switch cm.NewChatMember.Status {
		case "kicked":
			in.Kind = bot.InBlocked
		case "member":
			in.Kind = bot.InUnblocked
		default:
			return out
		}
		out.In, out.Handle, out.Kind = in, true, string(in.Kind)
	}
	// Edited messages, channel posts, inline queries, payments, polls and
	// kinds this library does not know (every pointer nil) are ignored.
	return out
}

// inbound returns an Inbound for a Telegram update with its chat, the
// sender's language hint and the message time (now when it has none).
func inbound(updateID, chatID int64, from *tgbotapi.User, date int) bot.Inbound {
	in := bot.Inbound{UpdateID: updateID, Chat: bot.Chat{Channel: bot.ChannelTelegram, ID: chatID}}
	if from != nil {
		in.LangHint = clean(from.LanguageCode)
	}
	if date > 0 {
		in.At = time.Unix(int64(date), 0)
	} else {
		in.At = time.Now()
	}
	return in
}

// message fills in what the message carries; false means nothing to handle.
func message(m *tgbotapi.Message, in *bot.Inbound) bool {
	switch {
	case m.Location != nil:
		in.Kind, in.Lat, in.Lng = bot.InLocation, m.Location.Latitude, m.Location.Longitude
	case m.Venue != nil:
		in.Kind, in.Lat, in.Lng = bot.InLocation, m.Venue.Location.Latitude, m.Venue.Location.Longitude
	case m.Contact != nil:
		if m.Contact.UserID == 0 || m.Contact.UserID != m.From.ID {
			// Someone else's phone number: not ours to keep.
			in.Kind, in.Text = bot.InUnsupported, "contact"
			return true
		}
		in.Kind, in.Phone = bot.InContact, clean(m.Contact.PhoneNumber)
	case m.Voice != nil:
		in.Kind = bot.InVoice
		if m.Voice.Duration <= maxVoiceSeconds {
			in.FileID = clean(m.Voice.FileID)
		}
	case m.Photo != nil:
		in.Kind, in.Text = bot.InUnsupported, "photo"
	case m.Document != nil:
		in.Kind, in.Text = bot.InUnsupported, "document"
	case m.Sticker != nil:
		in.Kind, in.Text = bot.InUnsupported, "sticker"
	case m.Video != nil, m.VideoNote != nil, m.Animation != nil:
		in.Kind, in.Text = bot.InUnsupported, "video"
	case m.Audio != nil:
		in.Kind, in.Text = bot.InUnsupported, "audio"
	case m.Poll != nil, m.Dice != nil, m.Game != nil:
		in.Kind, in.Text = bot.InUnsupported, "other"
	case m.Text != "":
		text := clean(m.Text)
		if name, payload, ok := command(text); ok {
			in.Kind, in.Command = bot.InCommand, name
			if name == "start" {
				in.Payload = startPayload(payload)
			}
			return true
		}
		in.Kind, in.Text = bot.InText, text
	default:
		// Service messages (a pinned message, a new photo of the chat...).
		return false
	}
	return true
}

// command parses "/name[@bot] [rest]". Names are what setMyCommands allows
// (a-z 0-9 _, up to 32), compared in lower case.
func command(text string) (name, rest string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, rest, _ := strings.Cut(text[1:], " ")
	word, _, _ = strings.Cut(word, "@")
	word = strings.ToLower(word)
	if word == "" || len(word) > 32 {
		return "", "", false
	}
	for _, r := range word {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "", "", false
		}
	}
	return word, strings.TrimSpace(rest), true
}

// startPayload keeps a deep-link payload only if it is what Telegram allows
// (A-Z a-z 0-9 _ -, up to 64); anything else becomes bot.UnknownCampaign,
// so that the person is counted as from an unknown source without the
// text typed (which may be personal) going any further.
func startPayload(p string) string {
	if p == "" || bot.ValidCampaignCode(p) {
		return p
	}
	return bot.UnknownCampaign
}

// clean makes s valid UTF-8 without NUL bytes.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "")
}
