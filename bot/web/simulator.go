package web

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/staff"
)

// The browser simulator: the same bot.Service and content as Telegram, in
// a chat page. Each browser gets a random chat id in a cookie; the replies
// come back in the response, and messages pushed later (staff answers,
// status notices) are fetched by polling.

const simCookie = "yol_sim"

type simLanguage struct {
	Code, Name string
	RTL        bool
}

type simCity struct {
	Name     string
	Lat, Lng string
}

type simPage struct {
	Languages []simLanguage
	Cities    []simCity
	Source    string
	Draft     simDraftView      // the stored version run, and the picker (simulator_draft_page.go)
	Script    map[string]string // the texts sim.js writes, in the console's language (simScriptTexts)
}

// simScriptTexts are the texts static/sim.js writes into the page, by the
// name it knows them by; the page carries them, rendered in the console's
// language, in a JSON block (#sim-texts).
var simScriptTexts = []string{"new_chat", "cleared", "protected", "map", "kbd_location", "kbd_phone", "server_error", "network_error"}

// handleSimulator shows the simulator page with the content's languages
// and cities.
func (s *Server) handleSimulator(w http.ResponseWriter, r *http.Request) {
	var acct = s.simulatorAccount(w, r)
	if s.SimulatorSignIn && acct == nil {
		return
	}
	run, refusal := s.simDraft(r, acct)
	c := s.Content.Load()
	if run != nil {
		c = run.content
	}
	lang := s.lang(r, acct)
	var p simPage
	p.Source = c.Texts.Source()
	p.Script = make(map[string]string, len(simScriptTexts))
	for _, k := range simScriptTexts {
		p.Script[k] = s.t(lang, "console.sim.js."+k)
	}
	for _, l := range c.Texts.Languages() {
		p.Languages = append(p.Languages, simLanguage{Code: l.Code, Name: l.Name, RTL: l.RTL})
	}
	for _, city := range c.KB.Cities() {
		p.Cities = append(p.Cities, simCity{Name: city.Name.Get(lang),
			Lat: strconv.FormatFloat(city.Lat, 'f', 4, 64), Lng: strconv.FormatFloat(city.Lng, 'f', 4, 64)})
	}
	code, msg := http.StatusOK, ""
	if refusal != nil {
		code, msg = refusal.code, refusal.msg+" "+s.tr(r, acct, "console.simdraft.live_instead")
	}
	p.Draft = s.simDraftView(r, acct, run)
	s.render(w, r, code, "simulator", page{Title: "console.title.simulator", Nav: "simulator", Account: acct, Data: p, Error: msg})
}

// simulatorAccount returns the signed-in account, if any; when the
// simulator needs one and there is none, it answers (redirect or 401) and
// returns nil. An account that must choose a new password counts as
// none: its session is for the password page only.
func (s *Server) simulatorAccount(w http.ResponseWriter, r *http.Request) *staff.Account {
	if s.Store == nil {
		return nil
	}
	a, pending := s.simStaff(r)
	if a == nil && s.SimulatorSignIn {
		if r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/simulator/") {
			to := "/console/login"
			if pending {
				to = passwordPath
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
		} else {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": s.tr(r, nil, "console.sim.error.sign_in")})
		}
	}
	return a
}

// simStaff is the request's signed-in account, nil for one that must
// first choose a new password (then pending is true).
func (s *Server) simStaff(r *http.Request) (a *staff.Account, pending bool) {
	a, _ = s.sessionAccount(r)
	if a != nil && a.MustChangePassword {
		return nil, true
	}
	return a, false
}

// simRequest is what the page posts (JSON or a form).
type simRequest struct {
	Kind  string  `json:"kind"` // text, button, location, contact, command
	Text  string  `json:"text"`
	Data  string  `json:"data"`
	Lat   float64 `json:"lat"`
	Lng   float64 `json:"lng"`
	Phone string  `json:"phone"`
	Lang  string  `json:"lang"`
}

type simResponse struct {
	Replies []bot.Reply `json:"replies"`
	Error   string      `json:"error,omitempty"`
}

// readSimRequest reads a simulator message posted as JSON or as a form,
// at most 16 KiB.
func readSimRequest(w http.ResponseWriter, r *http.Request) (simRequest, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	var req simRequest
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			return req, err
		}
		return req, nil
	}
	if err := r.ParseForm(); err != nil {
		return req, err
	}
	req.Kind, req.Text, req.Data = r.PostForm.Get("kind"), r.PostForm.Get("text"), r.PostForm.Get("data")
	req.Phone, req.Lang = r.PostForm.Get("phone"), r.PostForm.Get("lang")
	req.Lat, _ = strconv.ParseFloat(r.PostForm.Get("lat"), 64)
	req.Lng, _ = strconv.ParseFloat(r.PostForm.Get("lng"), 64)
	return req, nil
}

// inbound converts a simulator request; ok is false for a request that
// makes no sense.
func (req simRequest) inbound(chat bot.Chat) (bot.Inbound, bool) {
	in := bot.Inbound{Chat: chat, LangHint: req.Lang}
	switch req.Kind {
	case "", "text":
		t := strings.TrimSpace(req.Text)
		if t == "" || len(t) > 4096 {
			return in, false
		}
		if cmd, ok := strings.CutPrefix(t, "/"); ok && cmd != "" {
			name, payload, _ := strings.Cut(cmd, " ")
			in.Kind, in.Command, in.Payload = bot.InCommand, strings.ToLower(name), strings.TrimSpace(payload)
			return in, true
		}
		in.Kind, in.Text = bot.InText, t
	case "button":
		if req.Data == "" || len(req.Data) > 64 {
			return in, false
		}
		in.Kind, in.Data = bot.InButton, req.Data
	case "location":
		if math.IsNaN(req.Lat) || math.IsNaN(req.Lng) || req.Lat < -90 || req.Lat > 90 || req.Lng < -180 || req.Lng > 180 || (req.Lat == 0 && req.Lng == 0) {
			return in, false
		}
		in.Kind, in.Lat, in.Lng = bot.InLocation, req.Lat, req.Lng
	case "contact":
		p := strings.TrimSpace(req.Phone)
		if p == "" || len(p) > 32 {
			return in, false
		}
		in.Kind, in.Phone = bot.InContact, p
	default:
		return in, false
	}
	return in, true
}

// simChat returns the browser's simulator chat, made (and set in a
// cookie) when fresh is true or there is none yet.
func (s *Server) simChat(w http.ResponseWriter, r *http.Request, fresh bool) bot.Chat {
	if chat, ok := simCookieChat(r); ok && !fresh {
		return chat
	}
	var b [8]byte
	rand.Read(b[:])
	id := int64(binary.BigEndian.Uint64(b[:]) >> 2) // positive, 62 random bits: not guessable
	if id == 0 {
		id = 1
	}
	http.SetCookie(w, &http.Cookie{Name: simCookie, Value: strconv.FormatInt(id, 10), Path: "/simulator",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r), MaxAge: 7 * 24 * 3600})
	return bot.Chat{Channel: bot.ChannelSimulator, ID: id}
}

// simCookieChat is the browser's live simulator chat, from its cookie;
// ok is false without one.
func simCookieChat(r *http.Request) (bot.Chat, bool) {
	c, err := r.Cookie(simCookie)
	if err != nil {
		return bot.Chat{}, false
	}
	id, err := strconv.ParseInt(c.Value, 10, 64)
	if err != nil || id <= 0 {
		return bot.Chat{}, false
	}
	return bot.Chat{Channel: bot.ChannelSimulator, ID: id}, true
}

// handleSimulatorSend handles a message the simulator page sends, within
// the rate limits, and answers with the bot's replies.
func (s *Server) handleSimulatorSend(w http.ResponseWriter, r *http.Request) {
	if s.SimulatorSignIn && s.simulatorAccount(w, r) == nil {
		return
	}
	target, ok := s.simTarget(w, r, true) // a refused version takes nothing from the allowance
	if !ok || !s.simAllowed(w, r, false) {
		return
	}
	req, err := readSimRequest(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, simResponse{Error: s.simText(r, "console.sim.error.bad_request")})
		return
	}
	in, ok := req.inbound(target.chat(w, r, false))
	if !ok {
		writeJSON(w, http.StatusBadRequest, simResponse{Error: s.simText(r, "console.sim.error.bad_message")})
		return
	}
	s.simHandle(w, r, target.handler, in)
}

// handleSimulatorReset starts a new chat in the chosen language (/start).
func (s *Server) handleSimulatorReset(w http.ResponseWriter, r *http.Request) {
	if s.SimulatorSignIn && s.simulatorAccount(w, r) == nil {
		return
	}
	target, ok := s.simTarget(w, r, true) // a refused version takes nothing from the allowance
	if !ok || !s.simAllowed(w, r, true) {
		return
	}
	req, err := readSimRequest(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, simResponse{Error: s.simText(r, "console.sim.error.bad_request")})
		return
	}
	chat := target.chat(w, r, true)
	s.simHandle(w, r, target.handler, bot.Inbound{Chat: chat, LangHint: req.Lang, Kind: bot.InCommand, Command: "start", At: s.now()})
}

// simAllowed takes a message, and for a new chat a new chat too, from the
// allowance of the request's client address. With none left it answers 429
// with a message the simulator shows, and returns false. Signed-in staff
// are not limited (their session is looked up only then).
func (s *Server) simAllowed(w http.ResponseWriter, r *http.Request, newChat bool) bool {
	key, now := limitKey(s.clientAddr(r)), s.now()
	ok, wait := s.simMessages.allow(key, now)
	chats := false
	if ok && newChat {
		ok, wait = s.simChats.allow(key, now)
		chats = !ok
	}
	if ok {
		return true
	}
	if s.Store != nil {
		if a, _ := s.simStaff(r); a != nil {
			return true
		}
	}
	msg := s.tr(r, nil, "console.sim.error.too_many_messages")
	if chats {
		msg = s.tr(r, nil, "console.sim.error.too_many_chats", "Count", int(math.Ceil(wait.Minutes())))
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	writeJSON(w, http.StatusTooManyRequests, simResponse{Error: msg})
	return false
}

// simHandle hands the message to the bot h and answers with the replies
// waiting in the chat's outbox.
func (s *Server) simHandle(w http.ResponseWriter, r *http.Request, h Handler, in bot.Inbound) {
	in.At = s.now()
	if _, err := h.Handle(r.Context(), in); err != nil {
		s.Log.Error("simulator message", "err", err)
		writeJSON(w, http.StatusInternalServerError, simResponse{Error: s.simText(r, "console.sim.error.no_answer")})
		return
	}
	// The answer went to the outbox like every reply; this chat takes its
	// rows, staff messages queued meanwhile included.
	replies, err := s.Store.TakeReplies(r.Context(), in.Chat)
	if err != nil {
		s.Log.Error("simulator replies", "err", err)
		writeJSON(w, http.StatusInternalServerError, simResponse{Error: s.simText(r, "console.sim.error.no_answer")})
		return
	}
	writeJSON(w, http.StatusOK, simResponse{Replies: replies})
}

// handleSimulatorPoll answers with the replies waiting for the simulator
// chat of the request's cookie, such as staff messages.
func (s *Server) handleSimulatorPoll(w http.ResponseWriter, r *http.Request) {
	if s.SimulatorSignIn && s.simulatorAccount(w, r) == nil {
		return
	}
	target, ok := s.simTarget(w, r, false)
	if !ok {
		return
	}
	out := simResponse{Replies: []bot.Reply{}}
	chat, ok := target.pollChat(r)
	if !ok {
		writeJSON(w, http.StatusOK, out)
		return
	}
	replies, err := s.Store.TakeReplies(r.Context(), chat)
	if err != nil {
		s.Log.Error("simulator poll", "err", err)
		writeJSON(w, http.StatusInternalServerError, simResponse{Error: s.simText(r, "console.sim.error.poll")})
		return
	}
	if len(replies) > 0 {
		out.Replies = replies
	}
	writeJSON(w, http.StatusOK, out)
}

// simText renders console message id for a simulator request, in the
// console language of its session (looked up only now, for an error),
// else of its browser.
func (s *Server) simText(r *http.Request, id string, kv ...any) string {
	return s.tr(r, s.anyAccount(r), id, kv...)
}

// writeJSON writes v as JSON with the status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v) // escapes <, > and & as \u003c...
}
