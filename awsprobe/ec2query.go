package awsprobe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
)

// The EC2 describe calls go through this small client of EC2's query
// protocol (a signed form POST, an XML answer) rather than the SDK's
// service/ec2: that package alone more than doubled the binary (to 63 MiB
// stripped) and raised the start-up RSS by 15 MB, for ten read calls.

// ec2Version is the EC2 API version the query protocol names.
const ec2Version = "2016-11-15"

// maxEC2Response bounds one answer (a page of 1,000 security groups with
// their rules is a few MB).
const maxEC2Response = 32 << 20

type ec2Client struct {
	cfg      aws.Config
	endpoint string
	signer   *v4.Signer
}

// newEC2Client aims at AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL (or the
// configuration's base endpoint), else the regional endpoint.
func newEC2Client(cfg aws.Config) *ec2Client {
	ep := os.Getenv("AWS_ENDPOINT_URL_EC2")
	if ep == "" && cfg.BaseEndpoint != nil {
		ep = *cfg.BaseEndpoint
	}
	if ep == "" {
		ep = "https://ec2." + cfg.Region + ".amazonaws.com"
	}
	return &ec2Client{cfg: cfg, endpoint: strings.TrimSuffix(ep, "/") + "/", signer: v4.NewSigner()}
}

// call sends one query-protocol request and decodes the answer into out.
// A transport error or a 5xx is tried once more (reads are idempotent).
func (c *ec2Client) call(ctx context.Context, action string, params url.Values, out any) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var retry bool
		retry, err = c.once(ctx, action, params, out)
		if !retry || ctx.Err() != nil {
			break
		}
	}
	return err
}

func (c *ec2Client) once(ctx context.Context, action string, params url.Values, out any) (retry bool, err error) {
	form := url.Values{"Action": {action}, "Version": {ec2Version}}
	for k, v := range params {
		form[k] = v
	}
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := c.sign(ctx, req, body); err != nil {
		return false, err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return true, &smithy.OperationError{ServiceID: "EC2", OperationName: action, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxEC2Response))
	if err != nil {
		return true, &smithy.OperationError{ServiceID: "EC2", OperationName: action, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode >= 500, &smithy.OperationError{ServiceID: "EC2", OperationName: action, Err: ec2Error(resp.StatusCode, data)}
	}
	if err := xml.Unmarshal(data, out); err != nil {
		return false, &smithy.OperationError{ServiceID: "EC2", OperationName: action, Err: fmt.Errorf("decoding the answer: %w", err)}
	}
	return false, nil
}

func (c *ec2Client) sign(ctx context.Context, req *http.Request, body []byte) error {
	if c.cfg.Credentials == nil {
		return errNoProvider
	}
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	return c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "ec2", c.cfg.Region, time.Now())
}

func (c *ec2Client) httpClient() aws.HTTPClient {
	if c.cfg.HTTPClient != nil {
		return c.cfg.HTTPClient
	}
	return http.DefaultClient
}

// ec2Error reads EC2's error document into an API error the checks
// classify by code.
func ec2Error(status int, data []byte) error {
	var doc struct {
		Errors []struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Errors>Error"`
	}
	if xml.Unmarshal(data, &doc) == nil && len(doc.Errors) > 0 {
		return &smithy.GenericAPIError{Code: doc.Errors[0].Code, Message: doc.Errors[0].Message}
	}
	return &smithy.GenericAPIError{Code: "HTTP" + strconv.Itoa(status), Message: http.StatusText(status)}
}

// filters renders EC2 query filters: Filter.1.Name, Filter.1.Value.1...
func filters(params url.Values, fs ...filterSpec) url.Values {
	if params == nil {
		params = url.Values{}
	}
	for i, f := range fs {
		n := strconv.Itoa(i + 1)
		params.Set("Filter."+n+".Name", f.name)
		for j, v := range f.values {
			params.Set("Filter."+n+".Value."+strconv.Itoa(j+1), v)
		}
	}
	return params
}

type filterSpec struct {
	name   string
	values []string
}

func filter(name string, values ...string) filterSpec { return filterSpec{name, values} }
