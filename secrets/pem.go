package secrets

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
)

var (
	pemBegin = []byte("-----BEGIN ")
	pemEnd   = []byte("-----END ")
)

// decodePEM returns every PEM block in data. It fails with KindNoPEM when
// there is none, or when a BEGIN line did not yield a block: encoding/pem
// silently skips a malformed block and carries on with the next one, which
// would hide a truncated certificate in the middle of a chain.
func decodePEM(field string, data []byte) ([]*pem.Block, error) {
	var blocks []*pem.Block
	rest := data
	for {
		b, r := pem.Decode(rest)
		if b == nil {
			break
		}
		blocks = append(blocks, b)
		rest = r
	}
	if len(blocks) == 0 {
		return nil, newError(KindNoPEM, field, diagnoseNoPEM(data))
	}
	if begins := bytes.Count(data, pemBegin); begins > len(blocks) {
		detail := fmt.Sprintf("%d of %d PEM blocks are truncated or malformed", begins-len(blocks), begins)
		if glued(data) {
			detail = msgGlued
		}
		return nil, newError(KindNoPEM, field, detail)
	}
	return blocks, nil
}

// diagnoseNoPEM says why data holds no PEM block, without quoting it.
func diagnoseNoPEM(data []byte) string {
	hasBegin := bytes.Contains(data, pemBegin)
	hasEnd := bytes.Contains(data, pemEnd)
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "the value is empty"
	case bytes.Contains(data, []byte(`\n`)):
		return `the value holds literal \n sequences instead of line breaks`
	case glued(data):
		return msgGlued
	case !hasBegin:
		return "there is no -----BEGIN line"
	case !hasEnd:
		return "the PEM is truncated (no -----END line)"
	case !bytes.ContainsAny(data, "\r\n"):
		return "the PEM has no line breaks"
	}
	return "the PEM block is malformed (bad base64 or mismatched BEGIN and END lines)"
}

const msgGlued = "a -----BEGIN line does not start on a new line"

// glued reports an END line directly followed by the next BEGIN line.
func glued(data []byte) bool {
	return bytes.Contains(data, []byte("-----"+string(pemBegin)))
}

// label quotes a PEM type for a message, shortened: it comes from the input.
func label(t string) string {
	const max = 40
	if len(t) > max {
		t = strings.ToValidUTF8(t[:max], "") + "..."
	}
	return strconv.Quote(t)
}
