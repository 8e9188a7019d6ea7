package vpcprobe

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"time"
)

// maxBinary bounds the executable uploaded: Lambda accepts 250 MB
// unzipped; esmdoctor is about 30 MB.
const maxBinary = 250 << 20

// Bundle reads a Linux executable and zips it as the function's
// "bootstrap" (mode 0755); arch is the Lambda architecture it was built
// for (x86_64 or arm64), read from its ELF header.
func Bundle(path string) (zipped []byte, arch string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	arch, err = elfArch(f)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: time.Now()}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return nil, "", err
	}
	n, err := io.Copy(w, io.LimitReader(f, maxBinary+1))
	if err != nil {
		return nil, "", err
	}
	if n > maxBinary {
		return nil, "", fmt.Errorf("%s: larger than Lambda's 250 MB unzipped limit", path)
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), arch, nil
}

// elfArch maps an ELF executable's machine to a Lambda architecture.
func elfArch(r io.ReaderAt) (string, error) {
	e, err := elf.NewFile(r)
	if err != nil {
		return "", fmt.Errorf("not a Linux executable (pass a linux/amd64 or linux/arm64 esmdoctor build with --probe-binary): %w", err)
	}
	defer e.Close()
	switch {
	case e.Type != elf.ET_EXEC && e.Type != elf.ET_DYN:
		return "", fmt.Errorf("not an executable (ELF type %s)", e.Type)
	case e.Machine == elf.EM_X86_64:
		return "x86_64", nil
	case e.Machine == elf.EM_AARCH64:
		return "arm64", nil
	}
	return "", fmt.Errorf("built for %s: Lambda runs x86_64 and arm64 only", e.Machine)
}
