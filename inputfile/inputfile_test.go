//go:build unix

package inputfile

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	put := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := put("ok.json", MaxBytes)
	big := put("big.json", MaxBytes+1)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop")
	_ = os.Symlink(filepath.Join(dir, "loop2"), loop)
	_ = os.Symlink(loop, filepath.Join(dir, "loop2"))
	dangling := filepath.Join(dir, "dangling")
	_ = os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	link := filepath.Join(dir, "link")
	_ = os.Symlink(ok, link)
	sock := filepath.Join(dir, "sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	if data, err := Read(context.Background(), ok); err != nil || len(data) != MaxBytes {
		t.Errorf("a file of exactly MaxBytes: %d bytes, %v", len(data), err)
	}
	if _, err := Read(context.Background(), link); err != nil {
		t.Errorf("a symlink to a regular file: %v", err)
	}
	for path, want := range map[string]string{
		big:                               "is 65,537 bytes",
		fifo:                              "named pipe (FIFO)",
		loop:                              "symbolic link loop",
		dangling:                          "no such file",
		sock:                              "is a socket",
		dir:                               "is a directory",
		"/dev/zero":                       "character device",
		filepath.Join(dir, "missing"):     "no such file",
		filepath.Join(ok, "below-a-file"): "a part of the path is a file",
		filepath.Join(dir, strings.Repeat("n", 300)): "too long",
	} {
		start := time.Now()
		_, err := Read(context.Background(), path)
		var fe *Error
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, want) {
			t.Errorf("%s: %v, want an *Error containing %q", path, err, want)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("%s: refused after %s", path, d)
		}
	}
}

func TestReadInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// An interrupted read returns the context's error, never a file error.
	if _, err := Read(ctx, "/dev/zero"); err == nil {
		t.Fatal("no error")
	}
}
