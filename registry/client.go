package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBody bounds every response body read from a registry: a schema is
// rarely above a few kilobytes, and Confluent's own limit on a schema is
// far below this.
const MaxBody = 1 << 20

// ErrBodyTooLarge is a response body above MaxBody.
var ErrBodyTooLarge = errors.New("response body larger than 1 MiB")

// StatusError is a registry's non-2xx answer.
type StatusError struct {
	Status int
	// ErrorCode is the Confluent error_code (40401 subject not found,
	// 40403 schema not found, 40101 unauthorized...); 0 when absent.
	ErrorCode int
	Message   string
}

func (e *StatusError) Error() string {
	s := "HTTP " + strconv.Itoa(e.Status)
	if e.ErrorCode != 0 {
		s += fmt.Sprintf(" error_code %d", e.ErrorCode)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// NotJSONError is a 2xx answer that is not the JSON the API defines.
type NotJSONError struct {
	ContentType string
	Err         error
}

func (e *NotJSONError) Error() string {
	return fmt.Sprintf("answer is not the registry API's JSON (Content-Type %q): %v", e.ContentType, e.Err)
}
func (e *NotJSONError) Unwrap() error { return e.Err }

// Client makes read-only GETs to a Confluent-compatible registry.
type Client struct {
	ep   Endpoint
	http *http.Client
}

// NewClient returns a client for e. It keeps no connection after Close.
func NewClient(e Endpoint) *Client {
	host, _ := e.hostPort()
	tr := &http.Transport{
		Proxy:                  nil,
		TLSClientConfig:        tlsConfig(e, host),
		DialContext:            resolvingDialer(e.Resolver),
		MaxResponseHeaderBytes: 64 << 10,
		ResponseHeaderTimeout:  0,
		DisableCompression:     true,
	}
	return &Client{ep: e, http: &http.Client{Transport: tr, CheckRedirect: noRedirect}}
}

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// noRedirect refuses redirects: credentials are never sent elsewhere.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// resolvingDialer dials with r resolving host names (nil: the system's).
func resolvingDialer(r Resolver) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		addrs, err := lookup(ctx, r, host)
		if err != nil {
			return nil, &StageError{Stage: StageDNS, Addr: host, Err: err}
		}
		conn, _, err := dialFirst(ctx, addrs, port)
		return conn, err
	}
}

// Schema is a schema as the registry serves it.
type Schema struct {
	ID uint32
	// Type is AVRO, JSON or PROTOBUF (Confluent's schemaType; AVRO when
	// the registry leaves it out).
	Type string
	Text string
	// References counts the other schemas this one references (Confluent's
	// "references"); esmdoctor does not fetch them.
	References int
}

// Schema fetches GET /schemas/ids/{id} within budget.
func (c *Client) Schema(ctx context.Context, id uint32, budget time.Duration) (Schema, error) {
	var body struct {
		Schema     *string           `json:"schema"`
		SchemaType string            `json:"schemaType"`
		References []json.RawMessage `json:"references"`
	}
	if err := c.get(ctx, fmt.Sprintf("/schemas/ids/%d", id), budget, &body); err != nil {
		return Schema{}, err
	}
	if body.Schema == nil {
		return Schema{}, &NotJSONError{ContentType: "application/json", Err: errors.New(`no "schema" field`)}
	}
	s := Schema{ID: id, Type: strings.ToUpper(body.SchemaType), Text: *body.Schema, References: len(body.References)}
	if s.Type == "" {
		s.Type = "AVRO"
	}
	return s, nil
}

// Types fetches GET /schemas/types within budget: a small read-only call
// that proves the registry answers and accepts the credentials.
func (c *Client) Types(ctx context.Context, budget time.Duration) ([]string, error) {
	var types []string
	err := c.get(ctx, "/schemas/types", budget, &types)
	return types, err
}

// get sends one GET and decodes a bounded JSON answer into v.
func (c *Client) get(ctx context.Context, path string, budget time.Duration, v any) error {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	u := *c.ep.Base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery, u.Fragment = "", ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/vnd.schemaregistry.v1+json, application/json")
	switch {
	case c.ep.Bearer != "":
		req.Header.Set("Authorization", "Bearer "+c.ep.Bearer)
	case c.ep.Username != "" || c.ep.Password != "":
		req.SetBasicAuth(c.ep.Username, c.ep.Password)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return unwrapURL(err)
	}
	defer res.Body.Close()
	data, err := readBounded(res.Body)
	if err != nil {
		return &StageError{Stage: StageHTTP, Addr: u.Host, Err: err}
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return statusError(res.StatusCode, data)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &NotJSONError{ContentType: res.Header.Get("Content-Type"), Err: err}
	}
	return nil
}

// unwrapURL keeps the transport's typed error (*url.Error carries the
// request URL, which holds no secret: credentials travel in a header).
func unwrapURL(err error) error {
	var se *StageError
	if errors.As(err, &se) {
		return se
	}
	return &StageError{Stage: StageHTTP, Err: err}
}

// readBounded reads at most MaxBody bytes.
func readBounded(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBody {
		return nil, ErrBodyTooLarge
	}
	return data, nil
}

// statusError reads Confluent's {"error_code","message"} when present.
func statusError(status int, data []byte) error {
	var body struct {
		ErrorCode int    `json:"error_code"`
		Message   string `json:"message"`
	}
	_ = json.Unmarshal(data, &body)
	msg := body.Message
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return &StatusError{Status: status, ErrorCode: body.ErrorCode, Message: msg}
}
