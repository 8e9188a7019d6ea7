//go:build unix

package inputfile

import (
	"errors"
	"syscall"
)

// openFlags: never block opening a FIFO or a device; never make a terminal
// the controlling one.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY

func isLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }
