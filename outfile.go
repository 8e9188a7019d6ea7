package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/esmdoctor/esmdoctor/checks"
)

// The --output-file rules: refused before the run when it cannot end well
// (a directory, a missing or read-only folder, one of the run's own input
// files), and written to a temporary file in the same folder that is
// renamed into place only when the report is complete, so an interrupted
// or failed run never truncates an existing file or leaves an empty one.

// outputPath validates --output-file and returns the path the report will
// be renamed to: the file itself, or, when it is a symbolic link to a
// file, the file the link points at (the link stays). inputs maps each
// input flag to its value.
func outputPath(path string, inputs map[string]string) (string, error) {
	bad := func(msg string) error { return &checks.InputError{Input: "--output-file", Value: path, Msg: msg} }
	final := filepath.Clean(path)
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return "", bad("is a directory: name a file in it, for example " + filepath.Join(path, "esmdoctor-report.json"))
	case err == nil && !st.Mode().IsRegular():
		return "", bad(fmt.Sprintf("is not a regular file (%s): leave --output-file out to write the report to stdout", kind(st.Mode())))
	case err == nil:
		if final, err = filepath.EvalSymlinks(path); err != nil {
			return "", bad("cannot be resolved: " + errText(err))
		}
	case errors.Is(err, syscall.ELOOP):
		return "", bad("is a symbolic link loop (the links lead back to each other, never to a file)")
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return "", bad("is a symbolic link to a file that does not exist: name the file itself")
		}
		dir := filepath.Dir(path)
		dst, derr := os.Stat(dir)
		if derr != nil || !dst.IsDir() {
			return "", bad("its folder does not exist")
		}
		if real, rerr := filepath.EvalSymlinks(dir); rerr == nil {
			final = filepath.Join(real, filepath.Base(path))
		}
	case errors.Is(err, syscall.ENOTDIR):
		return "", bad("its folder does not exist (a part of the path is a file)")
	case errors.Is(err, fs.ErrPermission):
		return "", bad("permission denied: its folder cannot be searched")
	default:
		return "", bad("cannot be used: " + errText(err))
	}
	for flag, in := range inputs {
		if in == "" {
			continue
		}
		if sameFile(final, st, in) {
			return "", bad(fmt.Sprintf("is the same file as %s: the report would overwrite it (name another file)", flag))
		}
	}
	// The folder must take a new file: the report is written next to the
	// target and renamed into place.
	probe, err := os.CreateTemp(filepath.Dir(final), ".esmdoctor-*.tmp")
	if err != nil {
		return "", bad(fmt.Sprintf("its folder %s is not writable (%s)", filepath.Dir(final), errText(err)))
	}
	probe.Close()
	os.Remove(probe.Name())
	return final, nil
}

// sameFile: the same device and inode, or the same path once cleaned and
// its symbolic links followed.
func sameFile(final string, outSt fs.FileInfo, input string) bool {
	if inSt, err := os.Stat(input); err == nil && outSt != nil && os.SameFile(outSt, inSt) {
		return true
	}
	in, err := filepath.EvalSymlinks(input)
	if err != nil {
		in = input
	}
	a, _ := filepath.Abs(in)
	b, _ := filepath.Abs(final)
	return a == b
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return m.Type().String()
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// writeAtomically writes a report to a temporary file (mode 0600) in
// final's folder and renames it to final once render has succeeded and
// the data is on disk; on any failure the temporary file is removed and
// final is untouched.
func writeAtomically(final string, render func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	pending.add(tmp)
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
		pending.remove(tmp)
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err = render(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, final)
}

// pending holds the temporary files being written, so an exit forced by a
// second signal removes them.
var pending = &tempFiles{m: map[string]bool{}}

type tempFiles struct {
	mu sync.Mutex
	m  map[string]bool
}

func (t *tempFiles) add(p string)    { t.mu.Lock(); t.m[p] = true; t.mu.Unlock() }
func (t *tempFiles) remove(p string) { t.mu.Lock(); delete(t.m, p); t.mu.Unlock() }

// removeAll deletes every pending temporary file (a forced exit).
func (t *tempFiles) removeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for p := range t.m {
		os.Remove(p)
	}
}
