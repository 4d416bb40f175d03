package seal_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/yol-project/yol/bot/seal"
)

func mustRing(t *testing.T, spec string) *seal.Keyring {
	t.Helper()
	r, err := seal.ParseKeyring(spec)
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}
	return r
}

func newKey(t *testing.T, id string) string {
	t.Helper()
	k, err := seal.GenerateKey(id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	r := mustRing(t, newKey(t, "k1"))
	for _, text := range []string{"x", "Salam, mənim pasportum itib", "Здравствуйте", strings.Repeat("long ", 2000)} {
		sealed := r.Seal([]byte(text), "messages.text")
		// A one-byte text turns up in random ciphertext by chance (about one
		// run in ten); only longer texts can be looked for.
		if len(text) >= 8 && bytes.Contains(sealed, []byte(text)) {
			t.Fatalf("sealed value contains the plaintext")
		}
		got, err := r.Open(sealed, "messages.text")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if string(got) != text {
			t.Errorf("Open = %q, want %q", got, text)
		}
	}
}

func TestSealIsRandomised(t *testing.T) {
	r := mustRing(t, newKey(t, "k1"))
	a, b := r.Seal([]byte("same"), "x"), r.Seal([]byte("same"), "x")
	if bytes.Equal(a, b) {
		t.Error("two seals of the same text are equal; want different nonces")
	}
}

func TestTamperedRejected(t *testing.T) {
	r := mustRing(t, newKey(t, "k1"))
	sealed := r.Seal([]byte("+994 50 123 45 67"), "contact.phone")
	for i := range sealed {
		bad := append([]byte(nil), sealed...)
		bad[i] ^= 0x01
		if _, err := r.Open(bad, "contact.phone"); !errors.Is(err, seal.ErrOpen) {
			t.Fatalf("byte %d flipped: Open err = %v, want ErrOpen", i, err)
		}
	}
	if _, err := r.Open(sealed[:len(sealed)-1], "contact.phone"); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("truncated: err = %v, want ErrOpen", err)
	}
	if _, err := r.Open(sealed, "messages.text"); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("other associated data: err = %v, want ErrOpen", err)
	}
	for _, junk := range [][]byte{nil, {}, {1}, {1, 0}, {1, 5, 'a'}, {9, 2, 'k', '1'}} {
		if _, err := r.Open(junk, "x"); !errors.Is(err, seal.ErrOpen) {
			t.Errorf("Open(%v) err = %v, want ErrOpen", junk, err)
		}
	}
}

func TestRotationKeepsOldValuesReadable(t *testing.T) {
	k1, k2 := newKey(t, "k1"), newKey(t, "k2")
	old := mustRing(t, k1)
	sealedOld := old.Seal([]byte("old text"), "m")
	oldIndex := old.Index("chat", "12345")

	rotated := mustRing(t, k2+","+k1)
	if got, want := rotated.CurrentID(), "k2"; got != want {
		t.Fatalf("CurrentID = %q, want %q", got, want)
	}
	got, err := rotated.Open(sealedOld, "m")
	if err != nil || string(got) != "old text" {
		t.Fatalf("Open old value after rotation = %q, %v; want %q", got, err, "old text")
	}
	sealedNew := rotated.Seal([]byte("new"), "m")
	if id, _ := seal.KeyID(sealedNew); id != "k2" {
		t.Errorf("new value sealed with %q, want k2", id)
	}
	if id, _ := seal.KeyID(sealedOld); id != "k1" {
		t.Errorf("old value KeyID = %q, want k1", id)
	}
	idx := rotated.Indexes("chat", "12345")
	if len(idx) != 2 || !bytes.Equal(idx[1], oldIndex) {
		t.Errorf("Indexes after rotation do not include the old key's index")
	}
	// Retiring the old key makes old values unreadable.
	retired := mustRing(t, k2)
	if _, err := retired.Open(sealedOld, "m"); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("Open with retired key: err = %v, want ErrOpen", err)
	}
}

func TestIndex(t *testing.T) {
	r := mustRing(t, newKey(t, "k1"))
	a, b := r.Index("chat", "42"), r.Index("chat", "42")
	if !bytes.Equal(a, b) {
		t.Error("Index is not deterministic")
	}
	if bytes.Equal(r.Index("chat", "42"), r.Index("phone", "42")) {
		t.Error("Index does not separate kinds")
	}
	other := mustRing(t, newKey(t, "k1"))
	if bytes.Equal(a, other.Index("chat", "42")) {
		t.Error("two different keys give the same index")
	}
}

func TestParseKeyringErrors(t *testing.T) {
	good := newKey(t, "k1")
	_, bare, _ := strings.Cut(good, ":")
	tests := []struct {
		spec, want string
	}{
		{"", "empty key"},
		{"k1:notbase64!!", "not base64"},
		{"k1:AAAA", "decodes to 3 bytes"},
		{good + "," + good, "appears twice"},
		{"bad id:" + bare, "key id"},
	}
	for _, tt := range tests {
		_, err := seal.ParseKeyring(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseKeyring(%q) err = %v, want it to mention %q", tt.spec, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), bare) {
			t.Errorf("error text leaks the key: %v", err)
		}
	}
	r, err := seal.ParseKeyring(bare)
	if err != nil {
		t.Fatalf("bare key: %v", err)
	}
	if got, want := r.CurrentID(), "k1"; got != want {
		t.Errorf("bare key id = %q, want %q", got, want)
	}
}

func TestStringHelpers(t *testing.T) {
	r := mustRing(t, newKey(t, "k1"))
	if got := r.SealString("", "x"); got != nil {
		t.Errorf("SealString(\"\") = %v, want nil", got)
	}
	if got, err := r.OpenString(nil, "x"); got != "" || err != nil {
		t.Errorf("OpenString(nil) = %q, %v; want empty, nil", got, err)
	}
	s, err := r.OpenString(r.SealString("hi", "x"), "x")
	if s != "hi" || err != nil {
		t.Errorf("OpenString round trip = %q, %v", s, err)
	}
}
