package service

import "github.com/kordon/kordon/internal/store"

// SetCrashAt makes an export call stop(step) at each of its steps
// ("reserved", "records", "written", "finished"), so that a test can stop
// it there as a power cut would.
func SetCrashAt(stop func(step string)) { crashAt = stop }

// StoreOf opens the sealed store to tests that attack or fill it directly.
func StoreOf(s *Service) *store.Store { return s.st }
