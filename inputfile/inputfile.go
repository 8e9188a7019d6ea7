// Package inputfile reads the files a user names on the command line
// (--secret-file, --ca-file and every file flag added later) safely: only
// regular files, after following symbolic links; never more than MaxBytes;
// never blocking on a FIFO, a device or a socket; and the whole read can be
// abandoned when the run is interrupted. Every refusal is an *Error whose
// message says what is wrong in the user's words.
package inputfile

import (
	"context"
	"errors"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxBytes is the largest input esmdoctor reads whole: the 65,536 bytes
// Secrets Manager allows for a secret value. No input it reads is larger.
const MaxBytes = 65536

// SizeCode is the catalog code of a secret over MaxBytes, quoted in the
// refusal so the line points at the same explanation as the secret check.
const SizeCode = catalog.SECRET002

// Error is a file that cannot be used; Msg says why ("no such file",
// "is a named pipe (FIFO), not a regular file", ...).
type Error struct {
	Path string
	Msg  string
	Err  error // the underlying error, if any
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Read returns the contents of path. It stats the file first and refuses
// anything that is not a regular file or is larger than MaxBytes, opens it
// without blocking, checks again what it opened, and reads at most
// MaxBytes+1 bytes (a file that grew is refused too). When ctx ends first
// (Ctrl-C while a read hangs on a stalled file system) Read returns the
// context's error at once and leaves the read behind.
func Read(ctx context.Context, path string) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := read(path)
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// Check refuses path exactly as Read would, without reading it: what a
// flag validated before the run uses.
func Check(path string) (fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, statError(path, err)
	}
	if err := regular(path, st); err != nil {
		return nil, err
	}
	return st, nil
}

func read(path string) ([]byte, error) {
	if _, err := Check(path); err != nil {
		return nil, err
	}
	// O_NONBLOCK: if the path was swapped for a FIFO after the Stat, the
	// open still returns at once, and the Fstat below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, statError(path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{Path: path, Msg: "cannot be read: " + errText(err), Err: err}
	}
	if err := regular(path, st); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, &Error{Path: path, Msg: "cannot be read: " + errText(err), Err: err}
	}
	if len(data) > MaxBytes {
		return nil, tooLarge(path, int64(len(data)), true)
	}
	return data, nil
}

// regular refuses everything but a regular file of at most MaxBytes.
func regular(path string, st fs.FileInfo) error {
	m := st.Mode()
	switch {
	case m.IsDir():
		return &Error{Path: path, Msg: "is a directory, not a file"}
	case m&fs.ModeNamedPipe != 0:
		return &Error{Path: path, Msg: "is a named pipe (FIFO), not a regular file: save the content to a file and pass that"}
	case m&fs.ModeSocket != 0:
		return &Error{Path: path, Msg: "is a socket, not a regular file"}
	case m&fs.ModeCharDevice != 0:
		return &Error{Path: path, Msg: "is a character device (like /dev/zero or a terminal), not a regular file"}
	case m&fs.ModeDevice != 0:
		return &Error{Path: path, Msg: "is a block device, not a regular file"}
	case !m.IsRegular():
		return &Error{Path: path, Msg: fmt.Sprintf("is not a regular file (%s)", m.Type())}
	case st.Size() > MaxBytes:
		return tooLarge(path, st.Size(), false)
	}
	return nil
}

func tooLarge(path string, size int64, atLeast bool) error {
	n := commas(size)
	if atLeast {
		n = "more than " + commas(MaxBytes)
	}
	return &Error{Path: path, Msg: fmt.Sprintf("is %s bytes; a secret holds at most 65,536 bytes (Secrets Manager's limit), so esmdoctor reads no more (%s)", n, SizeCode)}
}

// statError names what went wrong finding or opening the file.
func statError(path string, err error) error {
	msg := "cannot be read: " + errText(err)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "no such file"
	case errors.Is(err, fs.ErrPermission):
		msg = "permission denied"
	case isLoop(err):
		msg = "is a symbolic link loop (the links lead back to each other, never to a file)"
	case errors.Is(err, syscall.ENOTDIR):
		msg = "no such file (a part of the path is a file, not a folder)"
	case errors.Is(err, syscall.ENAMETOOLONG):
		msg = "the path is too long"
	}
	return &Error{Path: path, Msg: msg, Err: err}
}

// errText is the system's reason without the operation and path, which the
// message already names.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// commas renders n with thousands separators (70,000).
func commas(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
