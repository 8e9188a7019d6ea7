//go:build !windows

package checks

// On Unix the syscall errnos in errno.go are all there is.
var winsockRefused, winsockReset, winsockAborted, winsockUnreachable []error
