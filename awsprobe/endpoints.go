package awsprobe

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Service names an AWS service esmdoctor calls.
type Service string

// The services, named as in their endpoints and AWS_ENDPOINT_URL_<SERVICE>.
const (
	STS            Service = "sts"
	SecretsManager Service = "secretsmanager"
	Lambda         Service = "lambda"
	Kafka          Service = "kafka"
)

// Endpoint returns the endpoint URL the SDK uses for service in region
// ("" for the session's Region): the AWS_ENDPOINT_URL_<SERVICE> or shared
// config override when set, else the regional endpoint. "" when the SDK
// cannot resolve one (no Region).
func (s *Session) Endpoint(ctx context.Context, service Service, region string) string {
	if region == "" {
		region = s.Region
	}
	var base *string
	var resolved string
	var err error
	p := aws.String(region)
	switch service {
	case STS:
		base = sts.NewFromConfig(s.cfg).Options().BaseEndpoint
		if base == nil {
			ep, e := sts.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sts.EndpointParameters{Region: p, UseGlobalEndpoint: aws.Bool(false)})
			resolved, err = ep.URI.String(), e
		}
	case SecretsManager:
		base = secretsmanager.NewFromConfig(s.cfg).Options().BaseEndpoint
		if base == nil {
			ep, e := secretsmanager.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, secretsmanager.EndpointParameters{Region: p})
			resolved, err = ep.URI.String(), e
		}
	case Lambda:
		base = lambda.NewFromConfig(s.cfg).Options().BaseEndpoint
		if base == nil {
			ep, e := lambda.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, lambda.EndpointParameters{Region: p})
			resolved, err = ep.URI.String(), e
		}
	case EC2:
		return newEC2Client(s.regional(region)).endpoint
	case IAM:
		base = iam.NewFromConfig(s.cfg).Options().BaseEndpoint
		if base == nil {
			ep, e := iam.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, iam.EndpointParameters{Region: p})
			resolved, err = ep.URI.String(), e
		}
	case Glue:
		return glueEndpoint(ctx, s.regional(region))
	case Kafka:
		return kafkaEndpoint(ctx, s.regional(region))
	}
	if base != nil {
		return *base
	}
	if err != nil {
		return ""
	}
	return resolved
}

// regional returns a copy of the session's configuration for region.
func (s *Session) regional(region string) aws.Config {
	c := s.cfg.Copy()
	if region != "" {
		c.Region = region
	}
	return c
}
