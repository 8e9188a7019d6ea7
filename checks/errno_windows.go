//go:build windows

package checks

import "syscall"

// Winsock error codes (winerror.h), which Go's net package returns on
// Windows in place of the Unix errnos.
var (
	winsockRefused     = []error{syscall.Errno(10061)}                                             // WSAECONNREFUSED
	winsockReset       = []error{syscall.Errno(10054)}                                             // WSAECONNRESET
	winsockAborted     = []error{syscall.Errno(10053)}                                             // WSAECONNABORTED
	winsockUnreachable = []error{syscall.Errno(10065), syscall.Errno(10051), syscall.Errno(10049)} // WSAEHOSTUNREACH, WSAENETUNREACH, WSAEADDRNOTAVAIL
)
