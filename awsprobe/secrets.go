package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Secret is what Secrets Manager returned for one secret: the value (from
// GetSecretValue, as the mapping reads it) and its metadata (DescribeSecret:
// name and KMS key, which MSK's SCRAM rules look at).
type Secret struct {
	ID       string // the ARN or name asked for
	Region   string // the Region asked
	Endpoint string
	Name     string
	// Value is the SecretString. Never print it.
	Value []byte
	// Binary is set when the secret holds SecretBinary and no SecretString.
	Binary bool
	// KMSKeyID is the key the secret is encrypted with; "" means the
	// default key aws/secretsmanager.
	KMSKeyID    string
	DescribeErr error // DescribeSecret failed (the value may still be there)
	Err         error // GetSecretValue failed
	Elapsed     time.Duration
}

// Secret reads one secret in region ("" for the session's Region).
func (s *Session) readSecret(ctx context.Context, id, region string, budget time.Duration) Secret {
	start := time.Now()
	ctx, cfg, done, cancel := call(ctx, s.regional(region), budget)
	defer cancel()
	out := Secret{ID: id, Region: cfg.Region, Endpoint: s.Endpoint(ctx, SecretsManager, cfg.Region)}
	c := secretsmanager.NewFromConfig(cfg)
	v, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		out.Err = done(err)
	} else {
		out.Name = aws.ToString(v.Name)
		switch {
		case v.SecretString != nil && len(*v.SecretString) > MaxSecretBytes:
			// Kept only as long as the limit plus one byte: the secret
			// check reports it as too large without holding it all.
			out.Value = []byte((*v.SecretString)[:MaxSecretBytes+1])
		case v.SecretString != nil:
			out.Value = []byte(*v.SecretString)
		default:
			out.Binary = len(v.SecretBinary) > 0
		}
	}
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
	if err != nil {
		out.DescribeErr = done(err)
	} else {
		out.KMSKeyID = aws.ToString(d.KmsKeyId)
		if out.Name == "" {
			out.Name = aws.ToString(d.Name)
		}
	}
	out.Elapsed = since(start)
	return out
}
