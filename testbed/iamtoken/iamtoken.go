// Package iamtoken crafts Amazon MSK IAM authentication tokens the way
// github.com/aws/aws-msk-iam-sasl-signer-go does, but with a chosen signing time,
// region, host or action, so tests can build valid, expired, wrong-region or
// wrongly-signed tokens for the test bed's IAM listener.
//
// A token is base64url (no padding) of a SigV4-presigned URL
//
//	https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-Algorithm=...
//
// signed for service "kafka-cluster" with payload hash SHA-256("") and the
// single signed header "host"; a User-Agent query parameter is added after
// signing (it is not covered by the signature). sarama sends the token as
// OAUTHBEARER "n,,\x01auth=Bearer <token>\x01\x01".
package iamtoken

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Constants shared with the signer library.
const (
	Action        = "kafka-cluster:Connect"
	SigningName   = "kafka-cluster"
	DefaultExpiry = 900 // seconds, as the signer library
	UserAgent     = "esmdoctor-testbed-iamtoken"
)

// Params describe one token. Zero values take the signer library's defaults.
type Params struct {
	Region          string // required
	AccessKeyID     string // required
	SecretAccessKey string // required
	SessionToken    string // optional; signed as X-Amz-Security-Token
	At              time.Time
	ExpirySeconds   int    // default 900
	Host            string // default kafka.<Region>.amazonaws.com
	Action          string // default kafka-cluster:Connect
	UserAgent       string // default UserAgent; "-" omits the parameter
}

// Generate returns a token for static credentials signed at the given time
// (use time.Now() for a valid one, a time over 15 minutes ago for an expired one).
func Generate(region, accessKeyID, secretAccessKey string, at time.Time) (string, error) {
	return GenerateParams(Params{Region: region, AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey, At: at})
}

// GenerateParams returns a token built from p.
func GenerateParams(p Params) (string, error) {
	if p.Region == "" || p.AccessKeyID == "" || p.SecretAccessKey == "" {
		return "", fmt.Errorf("iamtoken: region, access key id and secret are required")
	}
	if p.At.IsZero() {
		p.At = time.Now()
	}
	if p.ExpirySeconds == 0 {
		p.ExpirySeconds = DefaultExpiry
	}
	if p.Host == "" {
		p.Host = "kafka." + p.Region + ".amazonaws.com"
	}
	if p.Action == "" {
		p.Action = Action
	}
	if p.UserAgent == "" {
		p.UserAgent = UserAgent
	}
	q := url.Values{"Action": {p.Action}, "X-Amz-Expires": {strconv.Itoa(p.ExpirySeconds)}}
	u := url.URL{Scheme: "https", Host: p.Host, Path: "/", RawQuery: q.Encode()}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	empty := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey, SessionToken: p.SessionToken}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req,
		hex.EncodeToString(empty[:]), SigningName, p.Region, p.At.UTC())
	if err != nil {
		return "", err
	}
	su, err := url.Parse(signed)
	if err != nil {
		return "", err
	}
	if p.UserAgent != "-" {
		sq := su.Query()
		sq.Set("User-Agent", p.UserAgent)
		su.RawQuery = sq.Encode()
	}
	return base64.RawURLEncoding.EncodeToString([]byte(su.String())), nil
}

// Decode returns the presigned URL inside a token.
func Decode(token string) (*url.URL, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, fmt.Errorf("iamtoken: not base64url: %w", err)
	}
	return url.Parse(string(b))
}
