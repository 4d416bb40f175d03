// Package telegramtest is a fake Telegram Bot API server for tests: it
// speaks the Bot API over real HTTP (form-encoded requests, JSON answers),
// keeps updates with real getUpdates offset and long-poll semantics,
// records every call, and injects faults (429 with retry_after, 5xx, slow
// answers, malformed bodies, duplicate updates, a chat that blocked the bot).
// It keeps what each chat shows, both sides, and deletes messages as
// Telegram does (deleteMessages: 1-100 ids, none older than 48 hours;
// deletions.go).
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the bot token the fake accepts.
const Token = "123456789:AAFakeTokenSecretPart_abcdefghijklmn"

// Call is one request the fake received.
type Call struct {
	Method string
	Params url.Values
	At     time.Time
	Status int // the HTTP status answered
}

// ChatID returns the call's chat_id parameter (0 when none).
func (c Call) ChatID() int64 {
	id, _ := strconv.ParseInt(c.Params.Get("chat_id"), 10, 64)
	return id
}

// Text is the call's text parameter.
func (c Call) Text() string { return c.Params.Get("text") }

// Fault makes the next Times matching calls fail (Times < 0: every one).
type Fault struct {
	Method     string        // "" matches every method
	ChatID     int64         // 0 matches every chat
	Text       string        // "" matches every call; else calls whose text contains it (one poisoned message)
	Times      int           // how many calls it applies to
	Code       int           // error_code answered (0: no error, e.g. only a delay)
	RetryAfter int           // parameters.retry_after of a 429
	Delay      time.Duration // wait before answering
	Malformed  bool          // answer a body that is not JSON
}

// Server is the fake. Its zero value is not usable: call New.
type Server struct {
	*httptest.Server
	Token string

	mu        sync.Mutex
	updates   []pending
	nextID    int64
	nextMsgID int64
	confirmed int64 // every update below is forgotten
	calls     []Call
	faults    []*Fault
	blocked   map[int64]bool
	dupAll    bool
	arrived   chan struct{} // closed and replaced when an update is pushed
	webhook   url.Values
	commands  map[string]string
	firstSent map[int64]time.Time           // chat → first delivered message
	files     map[string][]byte             // file_id → content, for getFile
	chats     map[int64]map[int64]time.Time // chat → message_id → sent at: what the chat shows (deletions.go)
	deleted   map[int64][]int64             // chat → message ids deleted, in order
}

type pending struct {
	id  int64
	raw json.RawMessage
}

// New starts a fake, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{Token: Token, nextID: 1000, nextMsgID: 1, blocked: map[int64]bool{}, arrived: make(chan struct{}),
		commands: map[string]string{}, firstSent: map[int64]time.Time{}, files: map[string][]byte{},
		chats: map[int64]map[int64]time.Time{}, deleted: map[int64][]int64{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// APIURL is the base URL to configure (requests go to {APIURL}/bot{token}/{method}).
func (s *Server) APIURL() string { return s.URL }

// Fail adds a fault.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault (the outage is over).
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Block makes every send to chat answer 403 (the person blocked the bot).
func (s *Server) Block(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chat] = true
}

// DuplicateUpdates makes every getUpdates answer list each update twice.
func (s *Server) DuplicateUpdates(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dupAll = on
}

// Push queues a raw update; fields are its JSON fields without update_id.
// It returns the update_id. Concurrent pushes queue in the order of their
// ids, as Telegram's do.
func (s *Server) Push(fields map[string]any) int64 {
	m := map[string]any{}
	for k, v := range fields {
		m[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := s.nextID
	m["update_id"] = id
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	s.pushLocked(id, b)
	return id
}

// PushRaw queues an update exactly as given (it may repeat an id, or be
// malformed); id orders it and decides its confirmation.
func (s *Server) PushRaw(id int64, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushLocked(id, raw)
}

// pushLocked queues an update and wakes the waiting getUpdates calls; s.mu
// must be held.
func (s *Server) pushLocked(id int64, raw []byte) {
	if id > s.nextID {
		s.nextID = id
	}
	s.updates = append(s.updates, pending{id: id, raw: raw})
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// user returns a Telegram user with the given ID, as JSON fields.
func user(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "Person", "language_code": "en"}
}

// privateChat returns a private Telegram chat with the given ID, as JSON
// fields.
func privateChat(id int64) map[string]any {
	return map[string]any{"id": id, "type": "private", "first_name": "Person"}
}

// Message queues a message in a private chat whose person has the chat's
// id; extra holds the message's fields (text, location, photo...).
func (s *Server) Message(chat int64, extra map[string]any) int64 {
	s.mu.Lock()
	s.nextMsgID++
	mid := s.nextMsgID
	s.showLocked(chat, mid)
	s.mu.Unlock()
	m := map[string]any{"message_id": mid, "date": time.Now().Unix(), "chat": privateChat(chat), "from": user(chat)}
	for k, v := range extra {
		m[k] = v
	}
	return s.Push(map[string]any{"message": m})
}

// Text queues a typed text (commands included: "/start abc").
func (s *Server) Text(chat int64, text string) int64 {
	extra := map[string]any{"text": text}
	if strings.HasPrefix(text, "/") {
		n := strings.IndexByte(text, ' ')
		if n < 0 {
			n = len(text)
		}
		extra["entities"] = []any{map[string]any{"type": "bot_command", "offset": 0, "length": n}}
	}
	return s.Message(chat, extra)
}

// Button queues an inline button press with the given callback data.
func (s *Server) Button(chat int64, data string) int64 {
	s.mu.Lock()
	s.nextMsgID++
	mid := s.nextMsgID
	s.mu.Unlock()
	return s.Push(map[string]any{"callback_query": map[string]any{
		"id": fmt.Sprintf("cb%d", mid), "from": user(chat), "chat_instance": "ci", "data": data,
		"message": map[string]any{"message_id": mid, "date": time.Now().Unix(), "chat": privateChat(chat), "text": "question"},
	}})
}

// Location queues a shared location.
func (s *Server) Location(chat int64, lat, lng float64) int64 {
	return s.Message(chat, map[string]any{"location": map[string]any{"latitude": lat, "longitude": lng}})
}

// Contact queues a shared contact of user (the person's own when user == chat).
func (s *Server) Contact(chat int64, phone string, userID int64) int64 {
	return s.Message(chat, map[string]any{"contact": map[string]any{"phone_number": phone, "first_name": "P", "user_id": userID}})
}

// MemberStatus queues a my_chat_member update: "kicked" (blocked) or "member".
func (s *Server) MemberStatus(chat int64, status string) int64 {
	old := "member"
	if status == "member" {
		old = "kicked"
	}
	return s.Push(map[string]any{"my_chat_member": map[string]any{
		"chat": privateChat(chat), "from": user(chat), "date": time.Now().Unix(),
		"old_chat_member": map[string]any{"status": old, "user": map[string]any{"id": 1, "is_bot": true, "first_name": "Yol"}},
		"new_chat_member": map[string]any{"status": status, "user": map[string]any{"id": 1, "is_bot": true, "first_name": "Yol"}},
	}})
}

// Pending is the number of updates not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, u := range s.updates {
		if u.id >= s.confirmed {
			n++
		}
	}
	return n
}

// Confirmed is the highest offset a getUpdates passed.
func (s *Server) Confirmed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Calls returns the calls of method ("" for all), answered or not.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns the messages delivered to chat (sendMessage and sendVenue
// answered ok), in order.
func (s *Server) Sent(chat int64) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if (c.Method == "sendMessage" || c.Method == "sendVenue") && c.Status == http.StatusOK && c.ChatID() == chat {
			out = append(out, c)
		}
	}
	return out
}

// Delivered counts every message delivered, to any chat.
func (s *Server) Delivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if (c.Method == "sendMessage" || c.Method == "sendVenue") && c.Status == http.StatusOK {
			n++
		}
	}
	return n
}

// FirstSent returns when each chat received its first message.
func (s *Server) FirstSent() map[int64]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64]time.Time, len(s.firstSent))
	for k, v := range s.firstSent {
		out[k] = v
	}
	return out
}

// ChatsServed is the number of chats that received at least one message.
func (s *Server) ChatsServed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.firstSent)
}

// Webhook returns the parameters of the last setWebhook (nil if none).
func (s *Server) Webhook() url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Commands returns the commands JSON set for a language code ("" default).
func (s *Server) Commands(lang string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[lang]
}

// WaitDelivered waits until at least n messages were delivered.
func (s *Server) WaitDelivered(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for s.Delivered() < n {
		if time.Now().After(deadline) {
			t.Fatalf("delivered %d messages after %v, want %d", s.Delivered(), timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// serve answers one Bot API call (or a voice file download), applying the
// first fault that matches it and recording the call.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if p, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+s.Token+"/voice/"); ok {
		s.mu.Lock()
		b, found := s.files[p]
		s.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	prefix := "/bot" + s.Token + "/"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		answerError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	method := strings.TrimPrefix(r.URL.Path, prefix)
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		answerError(w, http.StatusMethodNotAllowed, "Method Not Allowed", 0)
		return
	}
	if err := r.ParseForm(); err != nil {
		answerError(w, http.StatusBadRequest, "Bad Request: cannot parse the form", 0)
		return
	}
	call := Call{Method: method, Params: r.Form, At: time.Now()}
	f := s.fault(call)
	status := http.StatusOK
	defer func() {
		call.Status = status
		s.mu.Lock()
		if status == http.StatusOK && (method == "sendMessage" || method == "sendVenue") {
			if _, ok := s.firstSent[call.ChatID()]; !ok {
				s.firstSent[call.ChatID()] = time.Now()
			}
		}
		s.calls = append(s.calls, call)
		s.mu.Unlock()
	}()
	if f != nil && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			status = 0
			return
		}
	}
	if f != nil && f.Malformed {
		status = http.StatusBadGateway
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprint(w, "<html><body>502 Bad Gateway</body></html>")
		return
	}
	if f != nil && f.Code != 0 {
		status = f.Code
		answerError(w, f.Code, describe(f.Code, f.RetryAfter), f.RetryAfter)
		return
	}
	switch method {
	case "getMe":
		answer(w, map[string]any{"id": 123456789, "is_bot": true, "first_name": "Yol", "username": "yol_test_bot"})
	case "getUpdates":
		s.getUpdates(w, r, call.Params)
	case "sendMessage", "sendVenue", "sendChatAction":
		chat := call.ChatID()
		s.mu.Lock()
		blocked := s.blocked[chat]
		s.nextMsgID++
		mid := s.nextMsgID
		s.mu.Unlock()
		if blocked {
			status = http.StatusForbidden
			answerError(w, status, "Forbidden: bot was blocked by the user", 0)
			return
		}
		if chat == 0 || (method == "sendMessage" && call.Text() == "") {
			status = http.StatusBadRequest
			answerError(w, status, "Bad Request: chat not found or message text is empty", 0)
			return
		}
		if method == "sendChatAction" {
			answer(w, true)
			return
		}
		s.mu.Lock()
		s.showLocked(chat, mid)
		s.mu.Unlock()
		answer(w, map[string]any{"message_id": mid, "date": time.Now().Unix(), "chat": privateChat(chat)})
	case "getFile":
		id := call.Params.Get("file_id")
		s.mu.Lock()
		b, found := s.files[id]
		s.mu.Unlock()
		if !found {
			status = http.StatusBadRequest
			answerError(w, status, "Bad Request: invalid file_id", 0)
			return
		}
		answer(w, map[string]any{"file_id": id, "file_unique_id": id, "file_size": len(b), "file_path": "voice/" + id})
	case "deleteMessages":
		status = s.deleteMessages(w, call)
	case "answerCallbackQuery", "deleteWebhook":
		answer(w, true)
	case "setWebhook":
		s.mu.Lock()
		s.webhook = call.Params
		s.mu.Unlock()
		answer(w, true)
	case "setMyCommands":
		s.mu.Lock()
		s.commands[call.Params.Get("language_code")] = call.Params.Get("commands")
		s.mu.Unlock()
		answer(w, true)
	default:
		status = http.StatusNotFound
		answerError(w, status, "Not Found: method not found", 0)
	}
}

// fault returns a copy of the first fault that matches call c, using up
// one of its times, or nil.
func (s *Server) fault(c Call) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == c.Method) && (f.ChatID == 0 || f.ChatID == c.ChatID()) &&
			(f.Text == "" || strings.Contains(c.Text(), f.Text)) && f.Times != 0 {
			if f.Times > 0 {
				f.Times--
			}
			cp := *f
			if f.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return &cp
		}
	}
	return nil
}

// getUpdates answers a long poll: it confirms the updates before offset
// and returns those from it, waiting up to the timeout for one to arrive.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p url.Values) {
	offset, _ := strconv.ParseInt(p.Get("offset"), 10, 64)
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		s.mu.Lock()
		if offset > s.confirmed {
			s.confirmed = offset
			kept := s.updates[:0]
			for _, u := range s.updates {
				if u.id >= offset {
					kept = append(kept, u)
				}
			}
			s.updates = kept
		}
		var out []json.RawMessage
		for _, u := range s.updates {
			if u.id >= offset && len(out) < limit {
				out = append(out, u.raw)
				if s.dupAll && len(out) < limit {
					out = append(out, u.raw)
				}
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			if out == nil {
				out = []json.RawMessage{}
			}
			answer(w, out)
			return
		}
		select {
		case <-arrived:
		case <-deadline:
			answer(w, []json.RawMessage{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

// describe returns Telegram's description of an error code.
func describe(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusBadRequest:
		return "Bad Request: message text is empty"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request"
	}
	return "Internal Server Error"
}

// answer writes a successful Bot API answer with result.
func answer(w http.ResponseWriter, result any) {
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// answerError writes a failed Bot API answer, with retry_after when given.
func answerError(w http.ResponseWriter, code int, desc string, retryAfter int) {
	w.WriteHeader(code)
	body := map[string]any{"ok": false, "error_code": code, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	json.NewEncoder(w).Encode(body)
}

// Voice queues a voice message whose audio is data.
func (s *Server) Voice(chat int64, fileID string, data []byte, seconds int) int64 {
	s.mu.Lock()
	s.files[fileID] = data
	s.mu.Unlock()
	return s.Message(chat, map[string]any{"voice": map[string]any{"file_id": fileID, "file_unique_id": fileID, "duration": seconds, "mime_type": "audio/ogg"}})
}
