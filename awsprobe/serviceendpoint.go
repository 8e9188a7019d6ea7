package awsprobe

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// serviceEndpoint is where a service's calls go, resolved as the SDK's
// clients resolve it: the configuration's base endpoint (AWS_ENDPOINT_URL
// or the profile's endpoint_url), overridden, unless AWS_ENDPOINT_URL is
// set without AWS_ENDPOINT_URL_<ID>, by the service's own from the
// configuration's sources (AWS_ENDPOINT_URL_<ID>, then the shared config's
// services section; neither with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS);
// else def. envID is the service's id as in AWS_ENDPOINT_URL_<ID>
// ("CLOUDWATCH_LOGS": lower-cased, the services section's key).
func serviceEndpoint(ctx context.Context, cfg aws.Config, envID, def string) (string, bool) {
	ep := aws.ToString(cfg.BaseEndpoint)
	_, global := os.LookupEnv("AWS_ENDPOINT_URL")
	_, own := os.LookupEnv("AWS_ENDPOINT_URL_" + envID)
	if !global || own {
		if v, ok := configuredEndpoint(ctx, cfg.ConfigSources, envID); ok {
			ep = v
		}
	}
	if ep == "" {
		return def, false
	}
	return strings.TrimSuffix(ep, "/"), true
}

// configuredEndpoint asks the configuration's sources (the environment,
// the shared config) for a service's endpoint, as the SDK's service
// clients do through the same two methods of those sources.
func configuredEndpoint(ctx context.Context, sources []any, envID string) (string, bool) {
	type ignoreFlag interface {
		GetIgnoreConfiguredEndpoints(ctx context.Context) (bool, bool, error)
	}
	type endpointSource interface {
		GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
	}
	for _, src := range sources {
		if p, ok := src.(ignoreFlag); ok {
			if v, found, err := p.GetIgnoreConfiguredEndpoints(ctx); err != nil || found {
				if v {
					return "", false
				}
				break
			}
		}
	}
	for _, src := range sources {
		if p, ok := src.(endpointSource); ok {
			v, found, err := p.GetServiceBaseEndpoint(ctx, envID)
			if err != nil {
				return "", false
			}
			if found {
				return v, true
			}
		}
	}
	return "", false
}

// regionalEndpoint is the standard endpoint of a service in region: the
// China Regions are under amazonaws.com.cn; "" without a Region.
func regionalEndpoint(host, region string) string {
	if region == "" {
		return ""
	}
	suffix := ".amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix += ".cn"
	}
	return "https://" + host + "." + region + suffix
}
