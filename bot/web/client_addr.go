package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address of the person behind a request: the remote
// address, or, when that is one of TrustedProxies, the nearest address in
// X-Forwarded-For that is not a trusted proxy. The header is read from the
// right (what the trusted proxies appended) so that an address a client
// wrote into it is never believed. Zero when nothing parses.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	addr := parseAddr(r.RemoteAddr)
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := parseAddr(strings.TrimSpace(hops[i]))
		if !hop.IsValid() {
			break // a broken header: keep the last proxy's address
		}
		addr = hop
		if !s.trusted(hop) {
			break
		}
	}
	return addr
}

// clientIP is clientAddr as text, for the audit log and sessions.
func (s *Server) clientIP(r *http.Request) string {
	if a := s.clientAddr(r); a.IsValid() {
		return a.String()
	}
	return ""
}

// trusted reports whether a is in one of TrustedProxies.
func (s *Server) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseAddr reads an address with or without a port ("192.0.2.1:80",
// "[2001:db8::1]:80", "2001:db8::1"), unmapped and without a zone.
func parseAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	return netip.Addr{}
}
