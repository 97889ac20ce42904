package service

// SetCrashAt makes an export call stop(step) at each of its steps
// ("reserved", "records", "written", "finished"), so that a test can stop
// it there as a power cut would.
func SetCrashAt(stop func(step string)) { crashAt = stop }
