package telegram

import (
	"strings"
	"testing"

	"github.com/yol-project/yol/bot"
)

func TestConvert(t *testing.T) {
	const staff = -100500
	msg := func(fields string) string {
		return `{"update_id":10,"message":{"message_id":1,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"P","language_code":"ru"}` + fields + `}}`
	}
	long := strings.Repeat("a", 65)
	tests := []struct {
		name   string
		raw    string
		handle bool
		want   bot.Inbound // compared on the fields set below
		cb     string
	}{
		{"text", msg(`,"text":"Salam <b>"`), true, bot.Inbound{Kind: bot.InText, Text: "Salam <b>"}, ""},
		{"command", msg(`,"text":"/Help"`), true, bot.Inbound{Kind: bot.InCommand, Command: "help"}, ""},
		{"command addressed to the bot", msg(`,"text":"/menu@yol_bot"`), true, bot.Inbound{Kind: bot.InCommand, Command: "menu"}, ""},
		{"start with payload", msg(`,"text":"/start camp_2024-baku"`), true, bot.Inbound{Kind: bot.InCommand, Command: "start", Payload: "camp_2024-baku"}, ""},
		{"start with bad payload", msg(`,"text":"/start a+b"`), true, bot.Inbound{Kind: bot.InCommand, Command: "start", Payload: bot.UnknownCampaign}, ""},
		{"start with long payload", msg(`,"text":"/start ` + long + `"`), true, bot.Inbound{Kind: bot.InCommand, Command: "start", Payload: bot.UnknownCampaign}, ""},
		{"other command's rest dropped", msg(`,"text":"/language my secret"`), true, bot.Inbound{Kind: bot.InCommand, Command: "language"}, ""},
		{"slash text is text", msg(`,"text":"/ what?"`), true, bot.Inbound{Kind: bot.InText, Text: "/ what?"}, ""},
		{"location", msg(`,"location":{"latitude":40.4,"longitude":49.8}`), true, bot.Inbound{Kind: bot.InLocation, Lat: 40.4, Lng: 49.8}, ""},
		{"venue", msg(`,"venue":{"location":{"latitude":1,"longitude":2},"title":"x","address":"y"}`), true, bot.Inbound{Kind: bot.InLocation, Lat: 1, Lng: 2}, ""},
		{"own contact", msg(`,"contact":{"phone_number":"+994501234567","first_name":"P","user_id":42}`), true, bot.Inbound{Kind: bot.InContact, Phone: "+994501234567"}, ""},
		{"someone else's contact", msg(`,"contact":{"phone_number":"+1","first_name":"Q","user_id":7}`), true, bot.Inbound{Kind: bot.InUnsupported, Text: "contact"}, ""},
		{"contact without user", msg(`,"contact":{"phone_number":"+1","first_name":"Q"}`), true, bot.Inbound{Kind: bot.InUnsupported, Text: "contact"}, ""},
		{"voice", msg(`,"voice":{"file_id":"f","file_unique_id":"u","duration":3}`), true, bot.Inbound{Kind: bot.InVoice, FileID: "f"}, ""},
		{"long voice not transcribed", msg(`,"voice":{"file_id":"f","file_unique_id":"u","duration":900}`), true, bot.Inbound{Kind: bot.InVoice}, ""},
		{"photo", msg(`,"photo":[{"file_id":"f","file_unique_id":"u","width":1,"height":1}],"caption":"passport"`), true, bot.Inbound{Kind: bot.InUnsupported, Text: "photo"}, ""},
		{"document", msg(`,"document":{"file_id":"f","file_unique_id":"u"}`), true, bot.Inbound{Kind: bot.InUnsupported, Text: "document"}, ""},
		{"sticker", msg(`,"sticker":{"file_id":"f","file_unique_id":"u","width":1,"height":1}`), true, bot.Inbound{Kind: bot.InUnsupported, Text: "sticker"}, ""},
		{"video", msg(`,"video":{"file_id":"f","file_unique_id":"u","width":1,"height":1,"duration":1}`), true, bot.Inbound{Kind: bot.InUnsupported, Text: "video"}, ""},
		{"service message", msg(`,"new_chat_title":"x"`), false, bot.Inbound{}, ""},
		{"button", `{"update_id":10,"callback_query":{"id":"q9","from":{"id":42,"first_name":"P","language_code":"az"},"chat_instance":"c","data":"elig:yes","message":{"message_id":3,"date":1,"chat":{"id":42,"type":"private"}}}}`,
			true, bot.Inbound{Kind: bot.InButton, Data: "elig:yes"}, "q9"},
		{"button on an inline message", `{"update_id":10,"callback_query":{"id":"q8","from":{"id":42,"first_name":"P"},"chat_instance":"c","data":"x","inline_message_id":"i"}}`,
			false, bot.Inbound{}, "q8"},
		{"blocked", `{"update_id":10,"my_chat_member":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"P"},"date":1,"old_chat_member":{"status":"member","user":{"id":1,"is_bot":true,"first_name":"Y"}},"new_chat_member":{"status":"kicked","user":{"id":1,"is_bot":true,"first_name":"Y"}}}}`,
			true, bot.Inbound{Kind: bot.InBlocked}, ""},
		{"unblocked", `{"update_id":10,"my_chat_member":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"P"},"date":1,"old_chat_member":{"status":"kicked","user":{"id":1,"is_bot":true,"first_name":"Y"}},"new_chat_member":{"status":"member","user":{"id":1,"is_bot":true,"first_name":"Y"}}}}`,
			true, bot.Inbound{Kind: bot.InUnblocked}, ""},
		{"added to a group", `{"update_id":10,"my_chat_member":{"chat":{"id":-5,"type":"group"},"from":{"id":42,"first_name":"P"},"date":1,"old_chat_member":{"status":"left","user":{"id":1,"is_bot":true,"first_name":"Y"}},"new_chat_member":{"status":"member","user":{"id":1,"is_bot":true,"first_name":"Y"}}}}`,
			false, bot.Inbound{}, ""},
		{"edited message", `{"update_id":10,"edited_message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"P"},"text":"x"}}`, false, bot.Inbound{}, ""},
		{"group message", `{"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":-7,"type":"supergroup"},"from":{"id":42,"first_name":"P"},"text":"hi"}}`, false, bot.Inbound{}, ""},
		{"staff chat", `{"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":-100500,"type":"supergroup"},"from":{"id":42,"first_name":"P"},"text":"/status"}}`, false, bot.Inbound{}, ""},
		{"channel post", `{"update_id":10,"channel_post":{"message_id":1,"date":1,"chat":{"id":-9,"type":"channel"},"text":"x"}}`, false, bot.Inbound{}, ""},
		{"unknown kind", `{"update_id":10,"message_reaction":{"chat":{"id":42,"type":"private"}}}`, false, bot.Inbound{}, ""},
		{"field of the wrong type", `{"update_id":10,"message":{"message_id":"x"}}`, false, bot.Inbound{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, ok := decodeUpdate([]byte(tt.raw), staff)
			if !ok {
				t.Fatalf("not decoded")
			}
			if u.ID != 10 {
				t.Errorf("update id: got %d, want 10", u.ID)
			}
			if u.Handle != tt.handle {
				t.Fatalf("handle: got %v, want %v (%+v)", u.Handle, tt.handle, u.In)
			}
			if u.CallbackID != tt.cb {
				t.Errorf("callback id: got %q, want %q", u.CallbackID, tt.cb)
			}
			if !tt.handle {
				return
			}
			got := u.In
			if got.UpdateID != 10 || got.Chat != (bot.Chat{Channel: bot.ChannelTelegram, ID: 42}) {
				t.Errorf("identity: got %d %+v, want 10 telegram:42", got.UpdateID, got.Chat)
			}
			if got.At.IsZero() {
				t.Errorf("At is zero")
			}
			// A person's message keeps its id (to delete it later); a
			// button press is not a message of the person's.
			wantMID := int64(1)
			if !strings.HasPrefix(tt.raw, `{"update_id":10,"message":`) {
				wantMID = 0
			}
			if got.MessageID != wantMID {
				t.Errorf("MessageID: got %d, want %d", got.MessageID, wantMID)
			}
			got.UpdateID, got.Chat, got.At, got.LangHint, got.MessageID = 0, bot.Chat{}, tt.want.At, "", 0
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if u.Kind != string(tt.want.Kind) {
				t.Errorf("metrics kind: got %q, want %q", u.Kind, tt.want.Kind)
			}
		})
	}
	if _, ok := decodeUpdate([]byte(`{"nothing":1}`), 0); ok {
		t.Errorf("an update without update_id was accepted")
	}
	if u, _ := decodeUpdate([]byte(msg(`,"text":"x"`)), 0); u.In.LangHint != "ru" {
		t.Errorf("language hint: got %q, want ru", u.In.LangHint)
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"from":{"id":1,"first_name":"P"},"text":"/start x"}}`,
		`{"update_id":2,"callback_query":{"id":"q","from":{"id":1,"first_name":"P"},"data":"d","message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"}}}}`,
		`{"update_id":3,"my_chat_member":{"chat":{"id":1,"type":"private"},"from":{"id":1},"new_chat_member":{"status":"kicked"}}}`,
		`{"update_id":4,"message":{"chat":{"id":1,"type":"private"},"from":{"id":1},"contact":{"user_id":1,"phone_number":"\u0000"}}}`,
		`{"update_id":5}`, `[]`, `null`, `{"update_id":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		u, ok := decodeUpdate(raw, -1)
		if !ok || !u.Handle {
			return
		}
		in := u.In
		if in.Chat.Channel != bot.ChannelTelegram || in.Kind == "" {
			t.Fatalf("handled update without a chat or kind: %+v", in)
		}
		if in.Kind == bot.InCommand && len(in.Payload) > bot.MaxCampaignCode {
			t.Fatalf("payload too long")
		}
		for _, s := range []string{in.Text, in.Data, in.Phone, in.Command, in.Payload} {
			if strings.ContainsRune(s, 0) || !utf8Valid(s) {
				t.Fatalf("unclean string %q", s)
			}
		}
	})
}
