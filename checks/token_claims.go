package checks

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// maxJWT bounds the token esmdoctor decodes (the token endpoint's answer
// is itself bounded).
const maxJWT = 64 << 10

// Claims are the registered claims of a JWT access token (RFC 7519) that
// explain a broker's verdict, and its header's alg and kid.
type Claims struct {
	Iss, Sub, Scope string
	Aud             []string
	Exp, Iat, Nbf   time.Time
	Alg, Kid        string
}

// decodeClaims reads a compact JWS's header and claims without verifying
// the signature (esmdoctor has no key to verify with; the broker does);
// false when the token is not a JWT.
func decodeClaims(token string) (Claims, bool) {
	parts := strings.Split(token, ".")
	if len(token) > maxJWT || len(parts) != 3 {
		return Claims{}, false
	}
	var h struct{ Alg, Kid string }
	var p struct {
		Iss, Sub      string
		Aud           json.RawMessage
		Exp, Iat, Nbf json.Number
		Scope         json.RawMessage
		Scp           json.RawMessage
	}
	if !decodeSegment(parts[0], &h) || !decodeSegment(parts[1], &p) {
		return Claims{}, false
	}
	c := Claims{Iss: p.Iss, Sub: p.Sub, Aud: stringOrList(p.Aud), Alg: h.Alg, Kid: h.Kid,
		Exp: numericDate(p.Exp), Iat: numericDate(p.Iat), Nbf: numericDate(p.Nbf)}
	c.Scope = strings.Join(stringOrList(p.Scope), " ")
	if c.Scope == "" {
		c.Scope = strings.Join(stringOrList(p.Scp), " ")
	}
	return c, true
}

func decodeSegment(seg string, out any) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return false
	}
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	return d.Decode(out) == nil
}

// stringOrList reads a claim that is a string or a list of strings (aud,
// and scope as some IdPs write it).
func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

// numericDate reads a NumericDate (seconds since the epoch, possibly
// fractional); zero when absent or out of range.
func numericDate(n json.Number) time.Time {
	f, err := n.Float64()
	if err != nil || f <= 0 || f > math.MaxInt32*4 {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}
