package awsfake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

// callerARN is who signed r: moto's GetCallerIdentity for the same
// credentials (moto does not check signatures, so the request's own
// Authorization header names the access key), or the SetCaller script.
func (f *Fake) callerARN(r *http.Request) (string, error) {
	_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	akid, _, _ := strings.Cut(cred, "/")
	f.mu.Lock()
	arn, scripted := f.wif.callers[akid]
	f.mu.Unlock()
	switch {
	case scripted:
		return arn, nil
	case f.motoURL == nil:
		return "", fmt.Errorf("no identity for access key %q", akid)
	}
	return f.motoCaller(r)
}

// motoCaller asks moto's STS who the request's credentials belong to.
func (f *Fake) motoCaller(r *http.Request) (string, error) {
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, f.motoURL.String()+"/", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} {
		req.Header.Set(h, r.Header.Get(h))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxForm))
	if err != nil {
		return "", err
	}
	var out struct {
		ARN string `xml:"GetCallerIdentityResult>Arn"`
	}
	if err := xml.Unmarshal(data, &out); err != nil || resp.StatusCode != http.StatusOK || out.ARN == "" {
		return "", errors.New("moto GetCallerIdentity: " + resp.Status)
	}
	return out.ARN, nil
}

// GlobalSTSURL is an endpoint that behaves as the global STS endpoint
// (sts.amazonaws.com): it refuses GetWebIdentityToken and serves every
// other request as URL does.
func (f *Fake) GlobalSTSURL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.global == nil {
		f.global = httptest.NewServer(http.HandlerFunc(f.serveGlobal))
	}
	return f.global.URL
}

func (f *Fake) serveGlobal(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxForm))
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if q, err := url.ParseQuery(string(body)); err == nil && q.Get("Action") == "GetWebIdentityToken" {
		f.count("GetWebIdentityToken")
		writeSTSError(w, GlobalEndpointRefusal)
		return
	}
	f.serve(w, r)
}
