package dialog

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Wait says what a [Session] is waiting for.
type Wait string

// The wait states.
const (
	WaitNone   Wait = ""       // the conversation has ended (or not begun)
	WaitAnswer Wait = "answer" // the top frame's node is a question waiting for an answer
	WaitAction Wait = "action" // the top frame's node is an action waiting for its result
)

// Session is the state of one conversation: a small value the host saves
// as JSON between messages. The zero value is a conversation that has not
// begun. Sessions refer to dialogs and nodes by name, so they survive
// content changes; a name that no longer exists is recovered from at the
// menu.
type Session struct {
	// Stack holds one frame per running dialog; the last one is current.
	// An empty stack means the conversation has ended.
	Stack []Frame `json:"stack,omitempty"`
	// Vars holds answers, action results and set values by name.
	Vars map[string]string `json:"vars,omitempty"`
	// Wait says what the current node is waiting for.
	Wait Wait `json:"wait,omitempty"`
}

// Frame is one running dialog: where it is, and the questions it asked
// before, for the Back button (oldest first, at most [MaxBack]).
type Frame struct {
	Dialog string   `json:"dialog"`
	Node   string   `json:"node"`
	Back   []string `json:"back,omitempty"`
}

// Ended reports whether the conversation has ended (or not begun).
func (s *Session) Ended() bool { return len(s.Stack) == 0 }

// Var returns the value of session var name, or "".
func (s *Session) Var(name string) string { return s.Vars[name] }

// SessionSpec is the format version of a saved session, written first in
// its JSON ("spec"). A program reads every older spec (a session saved
// before specs existed is spec 0) and migrates it forward on reading
// (sessionMigrations); a session of a newer spec than it knows is refused
// with [ErrNewerSession], never half read.
const SessionSpec = 1

// ErrNewerSession is the error of reading a session saved by a newer
// program, in a format this one does not know.
var ErrNewerSession = errors.New("dialog: the session was saved in a newer format")

// sessionMigrations[n] turns a session read in spec n into spec n+1.
// Spec 0 (no "spec" field) has the shape of spec 1: the step is the
// identity. A change of the format adds a step here and raises SessionSpec.
var sessionMigrations = []func(*Session){
	0: func(*Session) {},
}

// MarshalJSON encodes the session in the same shape encoding/json would
// produce from its tags, after its spec, with vars sorted by name. It is written by hand to
// keep saving a session cheap.
func (s Session) MarshalJSON() ([]byte, error) {
	return s.AppendJSON(make([]byte, 0, 64+32*len(s.Vars)+48*len(s.Stack))), nil
}

// AppendJSON appends the JSON encoding of the session to b.
func (s *Session) AppendJSON(b []byte) []byte {
	b = append(b, `{"spec":`...)
	b = strconv.AppendInt(b, SessionSpec, 10)
	comma := true
	if len(s.Stack) > 0 {
		b = append(b, ',')
		b = append(b, `"stack":[`...)
		for i, f := range s.Stack {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"dialog":`...)
			b = appendString(b, f.Dialog)
			b = append(b, `,"node":`...)
			b = appendString(b, f.Node)
			if len(f.Back) > 0 {
				b = append(b, `,"back":[`...)
				for j, n := range f.Back {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendString(b, n)
				}
				b = append(b, ']')
			}
			b = append(b, '}')
		}
		b = append(b, ']')
		comma = true
	}
	if len(s.Vars) > 0 {
		if comma {
			b = append(b, ',')
		}
		b = append(b, `"vars":{`...)
		var buf [16]string
		keys := buf[:0]
		for k := range s.Vars {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, s.Vars[k])
		}
		b = append(b, '}')
		comma = true
	}
	if s.Wait != "" {
		if comma {
			b = append(b, ',')
		}
		b = append(b, `"wait":`...)
		b = appendString(b, string(s.Wait))
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping like encoding/json
// (including <, >, &, U+2028 and U+2029) and replacing invalid UTF-8 with
// U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// UnmarshalJSON decodes a session written by MarshalJSON (or by
// encoding/json from the same tags) in any spec up to SessionSpec, and
// migrates it to SessionSpec. Unknown fields are ignored; null is accepted
// for any field. A newer spec gives ErrNewerSession.
func (s *Session) UnmarshalJSON(data []byte) error {
	*s = Session{}
	// One copy of the whole input; strings without escapes are slices of
	// it, which saves an allocation per string.
	r := jsonReader{b: data, s: string(data)}
	spec, err := r.session(s)
	if err != nil {
		*s = Session{}
		return fmt.Errorf("dialog: reading session: %w", err)
	}
	if spec > SessionSpec {
		*s = Session{}
		return fmt.Errorf("%w (spec %d; this program knows up to %d)", ErrNewerSession, spec, SessionSpec)
	}
	for ; spec < SessionSpec; spec++ {
		sessionMigrations[spec](s)
	}
	return nil
}

// session reads a session and returns its spec (0 when it has none).
func (r *jsonReader) session(s *Session) (int, error) {
	spec := 0
	if r.null() {
		return spec, r.end()
	}
	if err := r.consume('{'); err != nil {
		return spec, err
	}
	for first := true; ; first = false {
		key, ok, err := r.key('}', first)
		if err != nil {
			return spec, err
		}
		if !ok {
			break
		}
		switch key {
		case "spec":
			spec, err = r.smallInt()
		case "stack":
			err = r.stack(s)
		case "vars":
			err = r.vars(s)
		case "wait":
			var w string
			w, err = r.stringOrNull()
			s.Wait = Wait(w)
		default:
			err = r.skip()
		}
		if err != nil {
			return spec, err
		}
	}
	return spec, r.end()
}

// stack reads the dialog stack of a session, or null.
func (r *jsonReader) stack(s *Session) error {
	if r.null() {
		return nil
	}
	if err := r.consume('['); err != nil {
		return err
	}
	var buf [MaxDepth + 1]Frame
	frames := buf[:0]
	for first := true; ; first = false {
		ok, err := r.elem(']', first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		var f Frame
		if err := r.frame(&f); err != nil {
			return err
		}
		frames = append(frames, f)
	}
	// Room for one more: a call adds a frame.
	s.Stack = make([]Frame, len(frames), len(frames)+1)
	copy(s.Stack, frames)
	return nil
}

// frame reads one frame of the stack, skipping unknown fields.
func (r *jsonReader) frame(f *Frame) error {
	if err := r.consume('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		key, ok, err := r.key('}', first)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		switch key {
		case "dialog":
			f.Dialog, err = r.stringOrNull()
		case "node":
			f.Node, err = r.stringOrNull()
		case "back":
			err = r.back(f)
		default:
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
}

// back reads a frame's list of nodes to go back to, or null.
func (r *jsonReader) back(f *Frame) error {
	if r.null() {
		return nil
	}
	if err := r.consume('['); err != nil {
		return err
	}
	var buf [MaxBack + 1]string
	back := buf[:0]
	for first := true; ; first = false {
		ok, err := r.elem(']', first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		n, err := r.stringOrNull()
		if err != nil {
			return err
		}
		back = append(back, n)
	}
	// Room for one more: answering a question adds one.
	f.Back = make([]string, len(back), len(back)+1)
	copy(f.Back, back)
	return nil
}

// vars reads the session vars, an object of strings, or null.
func (r *jsonReader) vars(s *Session) error {
	if r.null() {
		return nil
	}
	if err := r.consume('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		key, ok, err := r.key('}', first)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		v, err := r.stringOrNull()
		if err != nil {
			return err
		}
		if s.Vars == nil {
			s.Vars = make(map[string]string, 8)
		}
		s.Vars[key] = v
	}
}

// jsonReader is a small JSON reader for the fixed shape of a Session.
type jsonReader struct {
	b []byte
	s string // the same bytes as b
	i int
}

var errSyntax = errors.New("invalid JSON")

// smallInt reads a whole number from 0 to 9999 (a spec).
func (r *jsonReader) smallInt() (int, error) {
	r.ws()
	n, digits := 0, 0
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		if digits++; digits > 4 {
			return 0, fmt.Errorf("offset %d: spec is too large", r.i)
		}
		n = n*10 + int(r.b[r.i]-'0')
		r.i++
	}
	if digits == 0 {
		return 0, fmt.Errorf("offset %d: spec must be a whole number", r.i)
	}
	return n, nil
}

// ws skips white space.
func (r *jsonReader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space without consuming it, or 0
// at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// end returns an error unless only white space is left.
func (r *jsonReader) end() error {
	r.ws()
	if r.i != len(r.b) {
		return fmt.Errorf("%w: unexpected data at offset %d", errSyntax, r.i)
	}
	return nil
}

// consume reads the byte c, after white space, or returns a syntax error.
func (r *jsonReader) consume(c byte) error {
	if r.peek() != c {
		return fmt.Errorf("%w: want %q at offset %d", errSyntax, c, r.i)
	}
	r.i++
	return nil
}

// null consumes a JSON null if one comes next.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' && len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// elem moves to the next element of an array whose '[' has been read,
// reporting false at its closing bracket.
func (r *jsonReader) elem(close byte, first bool) (bool, error) {
	c := r.peek()
	if c == close {
		r.i++
		return false, nil
	}
	if !first {
		if c != ',' {
			return false, fmt.Errorf("%w: want , or %c at offset %d", errSyntax, close, r.i)
		}
		r.i++
	}
	return true, nil
}

// key reads the next key of an object whose '{' has been read, and the
// colon after it, reporting false at its closing brace.
func (r *jsonReader) key(close byte, first bool) (string, bool, error) {
	ok, err := r.elem(close, first)
	if !ok || err != nil {
		return "", false, err
	}
	k, err := r.string()
	if err != nil {
		return "", false, err
	}
	return k, true, r.consume(':')
}

// stringOrNull reads a string, or null as "".
func (r *jsonReader) stringOrNull() (string, error) {
	if r.null() {
		return "", nil
	}
	return r.string()
}

// string reads a JSON string. Invalid escapes are errors; lone surrogates
// become U+FFFD like encoding/json.
func (r *jsonReader) string() (string, error) {
	if err := r.consume('"'); err != nil {
		return "", err
	}
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == '"' {
			s := r.s[start:r.i]
			r.i++
			return s, nil
		}
		if c == '\\' {
			return r.slowString(start)
		}
		if c < 0x20 {
			return "", fmt.Errorf("%w: control character in string at offset %d", errSyntax, r.i)
		}
		r.i++
	}
	return "", fmt.Errorf("%w: unterminated string", errSyntax)
}

// slowString finishes reading a string that has escapes, from start (just
// after the opening quote), decoding them.
func (r *jsonReader) slowString(start int) (string, error) {
	out := make([]byte, 0, r.i-start+16)
	out = append(out, r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return string(out), nil
		case c < 0x20:
			return "", fmt.Errorf("%w: control character in string at offset %d", errSyntax, r.i)
		case c != '\\':
			out = append(out, c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.b) {
			break
		}
		e := r.b[r.i+1]
		r.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			c1, ok := r.hex4()
			if !ok {
				return "", fmt.Errorf("%w: bad \\u escape at offset %d", errSyntax, r.i)
			}
			if utf16.IsSurrogate(c1) {
				save := r.i
				if r.i+1 < len(r.b) && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
					r.i += 2
					if c2, ok := r.hex4(); ok {
						if dec := utf16.DecodeRune(c1, c2); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							continue
						}
					}
				}
				r.i = save
				c1 = utf8.RuneError
			}
			out = utf8.AppendRune(out, c1)
		default:
			return "", fmt.Errorf("%w: bad escape at offset %d", errSyntax, r.i)
		}
	}
	return "", fmt.Errorf("%w: unterminated string", errSyntax)
}

// hex4 reads the four hex digits of a \u escape.
func (r *jsonReader) hex4() (rune, bool) {
	if len(r.b)-r.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(r.b[r.i:r.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(v), true
}

// skip skips one value of any kind (used for unknown fields).
func (r *jsonReader) skip() error {
	depth := 0
	for {
		switch c := r.peek(); c {
		case 0:
			return fmt.Errorf("%w: unexpected end", errSyntax)
		case '"':
			if _, err := r.string(); err != nil {
				return err
			}
		case '{', '[':
			depth++
			r.i++
		case '}', ']':
			if depth == 0 {
				return fmt.Errorf("%w: unexpected %q at offset %d", errSyntax, c, r.i)
			}
			depth--
			r.i++
		case ',', ':':
			if depth == 0 {
				return fmt.Errorf("%w: unexpected %q at offset %d", errSyntax, c, r.i)
			}
			r.i++
		default:
			// A number, true, false or null.
			n := r.i
			for r.i < len(r.b) && !isDelim(r.b[r.i]) {
				r.i++
			}
			if r.i == n {
				return fmt.Errorf("%w: unexpected %q at offset %d", errSyntax, c, r.i)
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// isDelim reports whether c ends a bare JSON value (a number, true, false
// or null).
func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}
