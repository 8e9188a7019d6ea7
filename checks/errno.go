package checks

import (
	"errors"
	"syscall"
)

// Socket errors, by meaning. On Unix each is one errno; Windows reports
// Winsock codes instead (errno_windows.go adds them), so classification
// is the same wherever esmdoctor runs.
var (
	errRefused     = append([]error{syscall.ECONNREFUSED}, winsockRefused...)
	errReset       = append([]error{syscall.ECONNRESET}, winsockReset...)
	errAborted     = append([]error{syscall.ECONNABORTED, syscall.EPIPE}, winsockAborted...)
	errUnreachable = append([]error{syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EADDRNOTAVAIL}, winsockUnreachable...)
)

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// isRefused: nothing listens, or a firewall rejects the connection.
func isRefused(err error) bool { return isAny(err, errRefused) }

// isReset: the peer reset the connection.
func isReset(err error) bool { return isAny(err, errReset) }

// isUnreachable: no route to the host or network.
func isUnreachable(err error) bool { return isAny(err, errUnreachable) }

// isAborted: the connection was aborted or the pipe broke under a write.
func isAborted(err error) bool { return isAny(err, errAborted) }
