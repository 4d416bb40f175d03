package dialog

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// looksLikeQuestion reports whether free text typed instead of an answer
// is probably a question for free-text help: it has a question mark
// (?, Arabic ؟ or full-width ？) or at least four words.
func looksLikeQuestion(s string) bool {
	if strings.ContainsAny(s, "?؟？") {
		return true
	}
	words, inWord := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			inWord = false
		} else if !inWord {
			inWord = true
			words++
			if words >= 4 {
				return true
			}
		}
	}
	return false
}

// trimText returns s without surrounding space, and whether anything is
// left.
func trimText(s string) (string, bool) {
	s = strings.TrimSpace(s)
	return s, s != ""
}

// asciiDigits trims s and turns Arabic-Indic (٠-٩) and Persian (۰-۹)
// digits into ASCII digits and the Arabic decimal separator (٫) into a
// dot. It reports false if anything else non-ASCII remains.
func asciiDigits(s string) (string, bool) {
	s = strings.TrimSpace(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r >= '٠' && r <= '٩':
			b.WriteByte(byte('0' + r - '٠'))
		case r >= '۰' && r <= '۹':
			b.WriteByte(byte('0' + r - '۰'))
		case r == '٫':
			b.WriteByte('.')
		default:
			return "", false
		}
	}
	return b.String(), true
}

// parseNumber reads a number: an optional sign, digits, and an optional
// fraction after a dot or comma; within the node's min and max. It
// returns the number in canonical form ("7", "2.5").
func parseNumber(text string, n *node) (string, bool) {
	s, ok := asciiDigits(text)
	if !ok || s == "" {
		return "", false
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits, sep := 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case (c == '.' || c == ',') && sep < 0 && digits > 0:
			sep = i
		default:
			return "", false
		}
	}
	if digits == 0 || sep == len(s)-1 || digits > 15 {
		return "", false
	}
	if sep >= 0 && s[sep] == ',' {
		s = s[:sep] + "." + s[sep+1:]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || n.hasMin && v < n.min || n.hasMax && v > n.max {
		return "", false
	}
	if v == math.Trunc(v) {
		return strconv.FormatInt(int64(v), 10), true
	}
	return strconv.FormatFloat(v, 'f', -1, 64), true
}

// parseDate reads a date as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (also
// DD-MM-YYYY and one-digit days and months) and returns YYYY-MM-DD. The
// year must be between 1900 and 2100.
func parseDate(text string) (string, bool) {
	s, ok := asciiDigits(text)
	if !ok || len(s) < 8 || len(s) > 10 {
		return "", false
	}
	var parts [3]int
	var lens [3]int
	k := 0
	var sep byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			parts[k] = parts[k]*10 + int(c-'0')
			lens[k]++
		case c == '-' || c == '.' || c == '/':
			if sep != 0 && c != sep || k == 2 || lens[k] == 0 {
				return "", false
			}
			sep = c
			k++
		default:
			return "", false
		}
	}
	if k != 2 || lens[2] == 0 {
		return "", false
	}
	var y, m, d int
	switch {
	case lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2:
		y, m, d = parts[0], parts[1], parts[2]
	case lens[2] == 4 && lens[0] <= 2 && lens[1] <= 2:
		d, m, y = parts[0], parts[1], parts[2]
	default:
		return "", false
	}
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return "", false
	}
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10),
	}
	return string(b[:]), true
}

// daysIn returns the number of days in month m of year y.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parsePhone reads a phone number: an optional leading +, then 7 to 15
// digits; spaces, dashes, dots and parentheses are ignored. It returns the
// digits, with the + if there was one.
func parsePhone(text string) (string, bool) {
	s, ok := asciiDigits(text)
	if !ok || s == "" {
		return "", false
	}
	var buf [16]byte
	out := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if len(out) == len(buf) {
				return "", false
			}
			out = append(out, c)
		case c == '+' && i == 0:
			out = append(out, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	digits := len(out)
	if len(out) > 0 && out[0] == '+' {
		digits--
	}
	if digits < 7 || digits > 15 {
		return "", false
	}
	if string(out) == s {
		return s, true
	}
	return string(out), true
}

// formatLocation formats a shared location as "lat,lng" with up to six
// decimals (about 10 cm).
func formatLocation(lat, lng float64) (string, bool) {
	if !(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180) {
		return "", false
	}
	var buf [48]byte
	b := strconv.AppendFloat(buf[:0], math.Round(lat*1e6)/1e6, 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, math.Round(lng*1e6)/1e6, 'f', -1, 64)
	return string(b), true
}
