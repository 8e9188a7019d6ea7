//go:build !unix

package inputfile

import (
	"errors"
	"syscall"
)

const openFlags = 0

func isLoop(err error) bool { return errors.Is(err, syscall.Errno(1921)) } // ERROR_CANT_RESOLVE_FILENAME
