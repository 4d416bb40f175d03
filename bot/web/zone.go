package web

import (
	"strings"
	"time"
)

// zone is the time zone of every date the console shows, reads or counts
// in (appointments, the dashboard's days and weeks, the working days a new
// case may wait): the content pack's (time_zone in knowledge/settings.yaml;
// UTC when the pack names none).
func (s *Server) zone() *time.Location {
	if s.Content == nil {
		return time.UTC
	}
	return s.Content.Load().Settings.Location()
}

// zoneName names the console's zone for staff: the city of its IANA name
// ("Asia/Baku" is "Baku"), or the name itself ("UTC").
func (s *Server) zoneName() string {
	name := s.zone().String()
	return strings.ReplaceAll(name[strings.LastIndex(name, "/")+1:], "_", " ")
}

// inZone formats t in the console's zone with layout; a zero time is "".
func (s *Server) inZone(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.zone()).Format(layout)
}

// day is t's date (YYYY-MM-DD) in the console's zone.
func (s *Server) day(t time.Time) string { return s.inZone(t, "2006-01-02") }

// clock is t's time of day (HH:MM) in the console's zone.
func (s *Server) clock(t time.Time) string { return s.inZone(t, "15:04") }

// date is t's date and time in the console's zone.
func (s *Server) date(t time.Time) string { return s.inZone(t, "2006-01-02 15:04") }
