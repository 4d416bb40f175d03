package telegram

import (
	"encoding/json"
	"testing"

	"github.com/yol-project/yol/bot"
)

// A reply that deletes messages renders deleteMessages calls of at most
// 100 ids first, then its text; protect_content goes on the messages only.
func TestRenderDeletionsAndProtect(t *testing.T) {
	ids := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i + 1)
		}
		return out
	}
	tests := []struct {
		name    string
		reply   bot.Reply
		methods []string
		sizes   []int // ids per deleteMessages call
	}{
		{"text only", bot.Reply{Text: "hi"}, []string{"sendMessage"}, nil},
		{"protected text", bot.Reply{Text: "code", Protect: true}, []string{"sendMessage"}, nil},
		{"deletions only", bot.Reply{Delete: ids(3)}, []string{"deleteMessages"}, []int{3}},
		{"100 ids in one call", bot.Reply{Delete: ids(100), Text: "bye"}, []string{"deleteMessages", "sendMessage"}, []int{100}},
		{"101 ids in two calls", bot.Reply{Delete: ids(101), Text: "bye", Protect: true}, []string{"deleteMessages", "deleteMessages", "sendMessage"}, []int{100, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reqs := render(7, tt.reply, func(string, ...any) {})
			var methods []string
			var sizes []int
			for _, r := range reqs {
				methods = append(methods, r.Method)
				if r.Params["chat_id"] != "7" {
					t.Errorf("%s to chat %q, want 7", r.Method, r.Params["chat_id"])
				}
				_, protected := r.Params["protect_content"]
				switch r.Method {
				case "deleteMessages":
					var got []int64
					if err := json.Unmarshal([]byte(r.Params["message_ids"]), &got); err != nil {
						t.Fatalf("message_ids %q: %v", r.Params["message_ids"], err)
					}
					sizes = append(sizes, len(got))
					if protected {
						t.Errorf("deleteMessages carries protect_content")
					}
				default:
					if protected != tt.reply.Protect {
						t.Errorf("%s protect_content: got %v, want %v", r.Method, protected, tt.reply.Protect)
					}
				}
			}
			if !equal(methods, tt.methods) || !equal(sizes, tt.sizes) {
				t.Errorf("got %v %v, want %v %v", methods, sizes, tt.methods, tt.sizes)
			}
		})
	}
}

// equal reports whether two slices hold the same values (nil and empty alike).
func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
