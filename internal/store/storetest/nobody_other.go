//go:build !unix

package storetest

import "testing"

// RunAsNobody skips: only Unix has a user without privileges to switch to.
func RunAsNobody(t *testing.T, test string) {
	t.Skip("needs a Unix system")
}
