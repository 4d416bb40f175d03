package web

// HoldPasswordChecks takes every slot of the password-check semaphore, so
// that sign-in attempts stop just before their hash until release is
// called. Tests use it to have many attempts in flight at once.
func (s *Server) HoldPasswordChecks() (release func()) {
	s.init()
	for range cap(s.hashSem) {
		s.hashSem <- struct{}{}
	}
	return func() {
		for range cap(s.hashSem) {
			<-s.hashSem
		}
	}
}
