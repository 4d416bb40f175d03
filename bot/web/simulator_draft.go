package web

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/problem"
	"github.com/yol-project/yol/bot/staff"
)

// Try before publishing (issue #15): an account with a content role runs
// any stored content version in the simulator (/simulator?version=N),
// loaded from the database into its own conversation service
// (Server.DraftChat). Everyone else gets the live content only. A stored
// version's chats have their own cookie and negative chat ids, which the
// live simulator never takes (simChat accepts positive ids only): a
// draft's conversation state cannot reach a live chat, nor the reverse.

// simDraftCookie holds "<version>.<chat>" of the browser's chat with a
// stored version.
const simDraftCookie = "yol_simdraft"

// Bounds of the loaded versions kept (the most recently used ones): at
// most maxDrafts packs and maxDraftBytes of their files (a loaded pack
// takes a few times its files' size).
const (
	maxDrafts     = 3
	maxDraftBytes = 32 << 20
)

// draftRun is a loaded stored version the simulator can talk to.
type draftRun struct {
	id      int64
	content *bot.Content
	chat    Handler
}

// draftEntry is one version in the cache: loading (done open), loaded
// (run set) or not loadable (probs set; versions never change, so that is
// kept too).
type draftEntry struct {
	id    int64
	done  chan struct{}
	run   *draftRun
	probs []problem.Problem
	err   error // reading it failed: the entry leaves the cache
	size  int
}

// draftCache keeps the last loaded versions; its zero value is empty and
// ready.
type draftCache struct {
	mu      sync.Mutex
	entries []*draftEntry // least recently used first
}

// errVersionBroken is a stored version that does not load.
var errVersionBroken = errors.New("the version does not load")

// get returns the loaded version id, loading it with load once however
// many ask at the same time. A version that does not load comes back with
// its problems and errVersionBroken.
func (c *draftCache) get(ctx context.Context, id int64, load func(context.Context, int64) *draftEntry) (*draftRun, []problem.Problem, error) {
	c.mu.Lock()
	var e *draftEntry
	for i, x := range c.entries {
		if x.id == id {
			e = x
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), x) // most recent last
			break
		}
	}
	if e == nil {
		e = &draftEntry{id: id, done: make(chan struct{})}
		c.entries = append(c.entries, e)
		c.mu.Unlock()
		loaded := load(context.WithoutCancel(ctx), id)
		c.mu.Lock()
		e.run, e.probs, e.err, e.size = loaded.run, loaded.probs, loaded.err, loaded.size
		close(e.done)
		if e.err != nil {
			c.remove(e)
		}
		c.evict()
	}
	c.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	switch {
	case e.err != nil:
		return nil, nil, e.err
	case e.run == nil:
		return nil, e.probs, errVersionBroken
	}
	return e.run, e.probs, nil
}

// remove takes e out of the cache (c.mu held).
func (c *draftCache) remove(e *draftEntry) {
	for i, x := range c.entries {
		if x == e {
			c.entries = append(c.entries[:i:i], c.entries[i+1:]...)
			return
		}
	}
}

// evict drops the least recently used loaded versions beyond the bounds,
// never the most recent one nor one still loading (c.mu held).
func (c *draftCache) evict() {
	for {
		size := 0
		for _, x := range c.entries {
			size += x.size
		}
		if len(c.entries) <= maxDrafts && size <= maxDraftBytes {
			return
		}
		dropped := false
		for _, x := range c.entries[:len(c.entries)-1] {
			select {
			case <-x.done:
				c.remove(x)
				dropped = true
			default:
				continue
			}
			break
		}
		if !dropped {
			return
		}
	}
}

// loadDraft reads version id from the store and builds its conversation
// service.
func (s *Server) loadDraft(ctx context.Context, id int64) *draftEntry {
	files, err := s.Store.ContentFiles(ctx, id)
	if err != nil {
		return &draftEntry{err: err}
	}
	size := 0
	for _, b := range files {
		size += len(b)
	}
	c, probs := bot.LoadPack(bot.PackFS(files))
	if c == nil {
		return &draftEntry{probs: probs, size: size}
	}
	s.Log.Info("simulator: loaded a stored content version", "version", id, "content", c.Version)
	return &draftEntry{run: &draftRun{id: id, content: c, chat: s.DraftChat(c)}, probs: probs, size: size}
}

// simRefusal is why a simulator request for a stored version was not
// run: the status code and the message in the console's language.
type simRefusal struct {
	code int
	msg  string
}

// simRefuse is a refusal with console message id in the request's console
// language.
func (s *Server) simRefuse(r *http.Request, a *staff.Account, code int, id string, kv ...any) *simRefusal {
	return &simRefusal{code: code, msg: s.tr(r, a, id, kv...)}
}

// simVersion reads the request's ?version= for account a: 0 when there is
// none (the live content); refused for an account without a content role
// or that must choose a new password first, and for anything but one
// positive number.
func (s *Server) simVersion(r *http.Request, a *staff.Account) (int64, *simRefusal) {
	raw, asked := r.URL.Query()["version"]
	if !asked || (len(raw) == 1 && raw[0] == "") {
		return 0, nil
	}
	if a != nil && a.MustChangePassword {
		return 0, s.simRefuse(r, a, http.StatusForbidden, "console.error.choose_password_first")
	}
	if !a.Has(staff.ContentRoles...) {
		return 0, s.simRefuse(r, a, http.StatusForbidden, "console.simdraft.refused")
	}
	if s.DraftChat == nil {
		return 0, s.simRefuse(r, a, http.StatusForbidden, "console.simdraft.unavailable")
	}
	id, err := strconv.ParseInt(strings.TrimSpace(raw[0]), 10, 64)
	if len(raw) != 1 || err != nil || id <= 0 {
		return 0, s.simRefuse(r, a, http.StatusBadRequest, "console.simdraft.bad_version")
	}
	return id, nil
}

// simDraft resolves the request's ?version= for account a: nil, nil when
// there is none (the live content), else the loaded version or why not.
func (s *Server) simDraft(r *http.Request, a *staff.Account) (*draftRun, *simRefusal) {
	id, refusal := s.simVersion(r, a)
	if refusal != nil || id == 0 {
		return nil, refusal
	}
	refuse := func(code int, msg string, kv ...any) *simRefusal { return s.simRefuse(r, a, code, msg, kv...) }
	run, probs, err := s.simDrafts.get(r.Context(), id, s.loadDraft)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		return nil, refuse(http.StatusNotFound, "console.simdraft.no_version", "ID", id)
	case errors.Is(err, errVersionBroken):
		return nil, refuse(http.StatusUnprocessableEntity, "console.simdraft.broken", "ID", id, "Problems", problemSummary(probs))
	case err != nil:
		s.Log.Error("simulator: reading a stored content version", "version", id, "err", err)
		return nil, refuse(http.StatusServiceUnavailable, "console.simdraft.failed", "ID", id)
	}
	if refusal := s.auditDraftRun(r, a, id); refusal != nil {
		return nil, refusal
	}
	return run, nil
}

// problemSummary is the errors of a pack that does not load, the first
// few, one after the other.
func problemSummary(probs []problem.Problem) string {
	var lines []string
	more := 0
	for _, p := range probs {
		switch {
		case p.Severity == problem.Warning:
		case len(lines) < 5:
			lines = append(lines, p.String())
		default:
			more++
		}
	}
	if more > 0 {
		lines = append(lines, fmt.Sprintf("(+%d)", more))
	}
	return strings.Join(lines, "; ")
}

// draftChat returns the browser's chat with stored version id, made (and
// set in the cookie) when fresh is true or the cookie holds none for this
// version. Its id is negative: never a live simulator chat.
func (s *Server) draftChat(w http.ResponseWriter, r *http.Request, id int64, fresh bool) bot.Chat {
	if chat, ok := draftCookieChat(r, id); ok && !fresh {
		return chat
	}
	var b [8]byte
	rand.Read(b[:])
	chatID := int64(binary.BigEndian.Uint64(b[:])>>2) | 1 // positive, 62 random bits
	http.SetCookie(w, &http.Cookie{Name: simDraftCookie, Value: strconv.FormatInt(id, 10) + "." + strconv.FormatInt(chatID, 10),
		Path: "/simulator", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r), MaxAge: 24 * 3600})
	return bot.Chat{Channel: bot.ChannelSimulator, ID: -chatID}
}

// draftCookieChat is the browser's chat with stored version id, from its
// cookie; ok is false when the cookie holds none for this version.
func draftCookieChat(r *http.Request, id int64) (bot.Chat, bool) {
	c, err := r.Cookie(simDraftCookie)
	if err != nil {
		return bot.Chat{}, false
	}
	v, chat, _ := strings.Cut(c.Value, ".")
	n, err1 := strconv.ParseInt(v, 10, 64)
	chatID, err2 := strconv.ParseInt(chat, 10, 64)
	if err1 != nil || err2 != nil || n != id || chatID <= 0 {
		return bot.Chat{}, false
	}
	return bot.Chat{Channel: bot.ChannelSimulator, ID: -chatID}, true
}

// simTarget is who answers a simulator request: the live service, or the
// service of a stored version (version not 0).
type simTarget struct {
	srv     *Server
	handler Handler
	version int64
}

// simTarget resolves the request's ?version= for the send and reset
// endpoints, and without load (no handler then) for the poll, which never
// loads a version: it only takes the replies of the browser's chat with
// it. ok is false when it was refused (and answered with the reason). The
// session is looked up only when a version is asked for.
func (s *Server) simTarget(w http.ResponseWriter, r *http.Request, load bool) (simTarget, bool) {
	live := simTarget{srv: s, handler: s.Chat}
	if !r.URL.Query().Has("version") {
		return live, true
	}
	var a *staff.Account
	if s.Store != nil {
		a, _ = s.sessionAccount(r)
	}
	if !load {
		id, refusal := s.simVersion(r, a)
		if refusal != nil {
			writeJSON(w, refusal.code, simResponse{Error: refusal.msg})
			return simTarget{}, false
		}
		return simTarget{srv: s, handler: s.Chat, version: id}, true
	}
	run, refusal := s.simDraft(r, a)
	if refusal != nil {
		writeJSON(w, refusal.code, simResponse{Error: refusal.msg})
		return simTarget{}, false
	}
	if run == nil {
		return live, true
	}
	return simTarget{srv: s, handler: run.chat, version: run.id}, true
}

// chat returns the browser's chat with the target (see simChat and
// draftChat).
func (t simTarget) chat(w http.ResponseWriter, r *http.Request, fresh bool) bot.Chat {
	if t.version != 0 {
		return t.srv.draftChat(w, r, t.version, fresh)
	}
	return t.srv.simChat(w, r, fresh)
}

// pollChat returns the browser's existing chat with the target; ok is
// false without one.
func (t simTarget) pollChat(r *http.Request) (bot.Chat, bool) {
	if t.srv.Store == nil {
		return bot.Chat{}, false
	}
	if t.version != 0 {
		return draftCookieChat(r, t.version)
	}
	return simCookieChat(r)
}
