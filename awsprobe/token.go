package awsprobe

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-msk-iam-sasl-signer-go/signer"
)

// IAMToken signs an MSK IAM authentication token (a presigned
// kafka-cluster:Connect URL, base64url-encoded) for region with the
// session's credentials, as the mapping does with the execution role's.
// The token is a credential: never print it.
func (s *Session) IAMToken(ctx context.Context, region string) (string, error) {
	if region == "" {
		region = s.Region
	}
	tok, _, err := signer.GenerateAuthTokenFromCredentialsProvider(ctx, region, s.cfg.Credentials)
	return tok, err
}

// TokenInfo is the public part of an MSK IAM token: who signed it, for
// which Region, and when it expires. It holds no secret.
type TokenInfo struct {
	Region      string
	AccessKeyID string
	SignedAt    time.Time
	Expires     time.Time
}

// ParseToken reads the signing facts out of an MSK IAM token (the query of
// the presigned URL it encodes).
func ParseToken(tok string) (TokenInfo, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return TokenInfo{}, err
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		return TokenInfo{}, err
	}
	q := u.Query()
	cred := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(cred) != 5 {
		return TokenInfo{}, errNotToken
	}
	at, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return TokenInfo{}, errNotToken
	}
	secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil {
		return TokenInfo{}, errNotToken
	}
	return TokenInfo{Region: cred[2], AccessKeyID: cred[0], SignedAt: at, Expires: at.Add(time.Duration(secs) * time.Second)}, nil
}

var errNotToken = errors.New("not an MSK IAM token")
