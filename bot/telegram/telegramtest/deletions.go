package telegramtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// DeleteWindow is how long a bot may delete a private chat's messages,
// both sides (Telegram's rule; older messages are refused).
const DeleteWindow = 48 * time.Hour

// maxDeleteIDs is the most ids one deleteMessages call takes.
const maxDeleteIDs = 100

// showLocked notes that chat now shows message mid; s.mu must be held.
func (s *Server) showLocked(chat, mid int64) {
	if s.chats[chat] == nil {
		s.chats[chat] = map[int64]time.Time{}
	}
	s.chats[chat][mid] = time.Now()
}

// deleteMessages answers deleteMessages as Telegram does: 1-100 ids as a
// JSON array; ids not found, or older than DeleteWindow, are skipped; when
// none could be deleted it answers 400. It returns the HTTP status.
func (s *Server) deleteMessages(w http.ResponseWriter, c Call) int {
	chat := c.ChatID()
	var ids []int64
	if err := json.Unmarshal([]byte(c.Params.Get("message_ids")), &ids); err != nil {
		answerError(w, http.StatusBadRequest, "Bad Request: can't parse message identifiers JSON object", 0)
		return http.StatusBadRequest
	}
	switch {
	case chat == 0:
		answerError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return http.StatusBadRequest
	case len(ids) == 0:
		answerError(w, http.StatusBadRequest, "Bad Request: message identifiers are not specified", 0)
		return http.StatusBadRequest
	case len(ids) > maxDeleteIDs:
		answerError(w, http.StatusBadRequest, "Bad Request: too many message identifiers specified", 0)
		return http.StatusBadRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	deleted := 0
	for _, id := range ids {
		at, ok := s.chats[chat][id]
		if !ok || time.Since(at) > DeleteWindow {
			continue
		}
		delete(s.chats[chat], id)
		s.deleted[chat] = append(s.deleted[chat], id)
		deleted++
	}
	if deleted == 0 {
		answerError(w, http.StatusBadRequest, "Bad Request: message can't be deleted", 0)
		return http.StatusBadRequest
	}
	answer(w, true)
	return http.StatusOK
}

// Shown returns the ids of the messages chat still shows, both sides, in
// order.
func (s *Server) Shown(chat int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	for id := range s.chats[chat] {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Deleted returns the ids deleted from chat, in the order of deletion.
func (s *Server) Deleted(chat int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deleted[chat])
}

// Age makes every message chat shows d older, as if sent d earlier.
func (s *Server) Age(chat int64, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, at := range s.chats[chat] {
		s.chats[chat][id] = at.Add(-d)
	}
}
