package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("2001:db8:ffff::/48")}}
	tests := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy", "192.0.2.7:5555", nil, "192.0.2.7"},
		{"an untrusted peer's header is ignored", "192.0.2.7:5555", []string{"198.51.100.1"}, "192.0.2.7"},
		{"through a trusted proxy", "10.0.0.2:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a client's forged hop is not believed", "10.0.0.2:80", []string{"203.0.113.9, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted proxies", "10.0.0.2:80", []string{"198.51.100.1, 10.0.0.3"}, "198.51.100.1"},
		{"the header on two lines", "10.0.0.2:80", []string{"203.0.113.9", "198.51.100.1"}, "198.51.100.1"},
		{"IPv6 through a proxy", "[2001:db8:ffff::1]:443", []string{"2001:db8:1:2::5"}, "2001:db8:1:2::5"},
		{"a hop with a port", "10.0.0.2:80", []string{"198.51.100.1:4711"}, "198.51.100.1"},
		{"garbage stops the walk", "10.0.0.2:80", []string{"198.51.100.1, <script>, 10.0.0.3"}, "10.0.0.3"},
		{"only proxies", "10.0.0.2:80", []string{"10.0.0.4"}, "10.0.0.4"},
		{"a proxy with no header", "10.0.0.2:80", nil, "10.0.0.2"},
		{"a mapped v4 remote", "[::ffff:10.0.0.2]:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"an unparsable remote", "pipe", []string{"198.51.100.1"}, ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// No trusted proxy: the header never counts.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.2:80"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := (&Server{}).clientIP(r); got != "10.0.0.2" {
		t.Errorf("without trusted proxies: got %q, want the remote address", got)
	}
}
