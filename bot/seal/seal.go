// Package seal encrypts personal data before it reaches the database and
// derives keyed hashes ("blind indexes") for lookups by sensitive values.
//
// Values are sealed with AES-256-GCM. A sealed value is
//
//	version(1) | len(keyID)(1) | keyID | nonce(12) | ciphertext+tag
//
// so every value names the key that sealed it and keys can rotate: the
// newest key seals, every key in the ring opens. Callers pass associated data
// (for example "messages.text") so that a ciphertext copied into another
// column does not open there.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

const (
	formatVersion = 1
	keySize       = 32
	nonceSize     = 12
	maxKeyID      = 32
)

// ErrOpen is returned when a sealed value cannot be opened: it was tampered
// with, sealed for another place, or sealed with a key that is not in the ring.
var ErrOpen = errors.New("seal: cannot open value")

// Key is one AES-256 key with the identifier stored next to every value it seals.
type Key struct {
	ID     string
	Secret []byte
}

// Keyring holds the current key (first) and older keys that may still have
// sealed values in the database.
type Keyring struct {
	keys  []Key
	aeads map[string]cipher.AEAD
	index [][]byte // blind index keys, one per key, current first
}

// NewKeyring builds a ring; keys[0] seals, every key opens.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("seal: no key")
	}
	r := &Keyring{aeads: make(map[string]cipher.AEAD, len(keys))}
	for _, k := range keys {
		if k.ID == "" || len(k.ID) > maxKeyID || strings.ContainsAny(k.ID, ":, \t\n") {
			return nil, fmt.Errorf("seal: key id %q must be 1-%d characters without ':', ',' or spaces", k.ID, maxKeyID)
		}
		if len(k.Secret) != keySize {
			return nil, fmt.Errorf("seal: key %q is %d bytes, want %d", k.ID, len(k.Secret), keySize)
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("seal: key id %q appears twice", k.ID)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("seal: key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("seal: key %q: %w", k.ID, err)
		}
		r.aeads[k.ID] = aead
		r.keys = append(r.keys, Key{ID: k.ID, Secret: append([]byte(nil), k.Secret...)})
		r.index = append(r.index, derive(k.Secret, "yol blind index v1"))
	}
	return r, nil
}

// ParseKeyring reads the YOL_DATA_KEY format: a comma-separated list of
// "id:base64key" entries, newest first. A single base64 key without an id is
// accepted and gets the id "k1".
func ParseKeyring(s string) (*Keyring, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("seal: empty key")
	}
	var keys []Key
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		id, b64, found := strings.Cut(part, ":")
		if !found {
			id, b64 = "k1", part
		}
		secret, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("seal: key #%d (%q): %w", i+1, id, err)
		}
		keys = append(keys, Key{ID: id, Secret: secret})
	}
	return NewKeyring(keys...)
}

// decodeKey decodes a base64 key, padded or not, standard or URL-safe, and
// checks its size.
func decodeKey(b64 string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(b64); err == nil {
			if len(b) != keySize {
				return nil, fmt.Errorf("decodes to %d bytes, want %d", len(b), keySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// GenerateKey returns a new random key in the YOL_DATA_KEY format with the given id.
func GenerateKey(id string) (string, error) {
	b := make([]byte, keySize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("seal: generate key: %w", err)
	}
	return id + ":" + base64.StdEncoding.EncodeToString(b), nil
}

// CurrentID names the key that seals new values.
func (r *Keyring) CurrentID() string { return r.keys[0].ID }

// IDs lists the key ids, current first.
func (r *Keyring) IDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.ID
	}
	return ids
}

// Seal encrypts plaintext with the current key, bound to the associated data.
func (r *Keyring) Seal(plaintext []byte, aad string) []byte {
	k := r.keys[0]
	aead := r.aeads[k.ID]
	out := make([]byte, 0, 2+len(k.ID)+nonceSize+len(plaintext)+aead.Overhead())
	out = append(out, formatVersion, byte(len(k.ID)))
	out = append(out, k.ID...)
	nonce := out[len(out) : len(out)+nonceSize]
	rand.Read(nonce) // never fails: since Go 1.24 it crashes the program instead
	out = out[:len(out)+nonceSize]
	return aead.Seal(out, nonce, plaintext, []byte(aad))
}

// SealString is Seal for text; the empty string seals to nil so that "no
// value" stays NULL in the database.
func (r *Keyring) SealString(s, aad string) []byte {
	if s == "" {
		return nil
	}
	return r.Seal([]byte(s), aad)
}

// Open decrypts a value sealed by any key in the ring.
func (r *Keyring) Open(sealed []byte, aad string) ([]byte, error) {
	id, body, ok := split(sealed)
	if !ok {
		return nil, ErrOpen
	}
	aead, known := r.aeads[id]
	if !known || len(body) < nonceSize+aead.Overhead() {
		return nil, ErrOpen
	}
	pt, err := aead.Open(nil, body[:nonceSize], body[nonceSize:], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// OpenString is Open for text; nil opens to the empty string.
func (r *Keyring) OpenString(sealed []byte, aad string) (string, error) {
	if sealed == nil {
		return "", nil
	}
	b, err := r.Open(sealed, aad)
	return string(b), err
}

// KeyID tells which key sealed a value, so a rotation can find old values.
func KeyID(sealed []byte) (string, bool) {
	id, _, ok := split(sealed)
	return id, ok
}

// split splits a sealed value into the ID of its key and the body; ok is
// false when it is not in the sealed format.
func split(sealed []byte) (id string, body []byte, ok bool) {
	if len(sealed) < 2 || sealed[0] != formatVersion {
		return "", nil, false
	}
	n := int(sealed[1])
	if n == 0 || len(sealed) < 2+n {
		return "", nil, false
	}
	return string(sealed[2 : 2+n]), sealed[2+n:], true
}

// Index returns the blind index of a value under the current key: a keyed
// hash that allows equality lookups without storing the value.
func (r *Keyring) Index(kind, value string) []byte {
	return blind(r.index[0], kind, value)
}

// Indexes returns the blind index under every key, current first, so a
// lookup finds rows written before a rotation.
func (r *Keyring) Indexes(kind, value string) [][]byte {
	out := make([][]byte, len(r.index))
	for i, k := range r.index {
		out[i] = blind(k, kind, value)
	}
	return out
}

// blind returns the blind index of a value of a kind under key: an
// HMAC-SHA256 of kind and value.
func blind(key []byte, kind, value string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// derive derives a key for one purpose from a secret: the HMAC-SHA256 of
// label.
func derive(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}
