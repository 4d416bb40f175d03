package staff

import "time"

// SignInAttempt is one try of a password (at sign-in, or of the current
// password on the password page), counted before the password is checked.
type SignInAttempt struct {
	Address string    // the client's address (an IPv6 address by its /64)
	Login   string    // as typed, in lower case
	Device  []byte    // SHA-256 of the token of a known device of this login; nil when there is none
	At      time.Time // when it was made
}

// SignInLimits say how many attempts pass. An attempt from a known device
// counts only against that device; any other counts against its address
// and its login.
type SignInLimits struct {
	Window       time.Duration // attempts are counted per window of this length
	PerAddress   int           // failed attempts per address and window; then every attempt is refused
	PerDevice    int           // failed attempts per known device and window; then likewise
	FreePerLogin int           // failed attempts per login and window before it is slowed down
	MaxDelay     time.Duration // the longest wait between two attempts for one login
}

// Delay is the wait before the next attempt for a login after n failed
// (or still running) attempts in a window: none for the first
// FreePerLogin, then one second, doubling up to MaxDelay.
func (l SignInLimits) Delay(n int) time.Duration {
	if n < l.FreePerLogin {
		return 0
	}
	d := time.Second << min(n-l.FreePerLogin, 20)
	return min(d, l.MaxDelay)
}

// SignInVerdict is what counting an attempt decided.
type SignInVerdict struct {
	Allowed    bool
	Refused    string        // when not allowed: "address", "login" or "device"
	RetryAfter time.Duration // when not allowed: how long to wait
	Window     time.Time     // the window the attempt was counted in
}
