package integration

import (
	"context"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// TestRegistryNoSecretInAnyFormat: the registry's passwords (a BASIC_AUTH
// secret the registry accepts, one it refuses, a password in the URL's
// userinfo) and the client key reach no format, verbose or not.
func TestRegistryNoSecretInAnyFormat(t *testing.T) {
	r := requireRegistry(t)
	wrong := "canary-registry-Pw-" + r.tag
	good := r.basicSecret(t, "registry-canary-good", r.Get("REGISTRY_PASSWORD"))
	bad := r.basicSecret(t, "registry-canary-bad", wrong)
	userinfo := strings.Replace(r.Get("REGISTRY_URL"), "http://", "http://"+r.Get("REGISTRY_USER")+":"+wrong+"-url@", 1)
	for name, reg := range map[string]*awsprobe.SchemaRegistryConfig{
		"accepted": confluent(r.Get("REGISTRY_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: good}}, "VALUE"),
		"refused":  confluent(r.Get("REGISTRY_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: bad}}, "VALUE"),
		"userinfo": confluent(userinfo, nil, "VALUE"),
	} {
		t.Run(name, func(t *testing.T) {
			var learned []string
			cfg := scramOK(r.bed)
			cfg.Topic, cfg.AWS, cfg.MaximumPollers, cfg.Verbose, cfg.Timeout = r.Get("REGISTRY_TOPIC_AVRO"), awsConfig(), 1, true, awsTimeout
			cfg.Kafka.SchemaRegistry = reg
			cfg.Redact = func(v ...string) { learned = append(learned, v...) }
			rep := &model.Report{ToolName: "esmdoctor", ToolVersion: "test", Target: model.Target{Topic: cfg.Topic}}
			rep.Results = checks.Run(context.Background(), cfg, nil)
			secrets := append(checks.SecretValues(cfg), r.Get("REGISTRY_PASSWORD"), wrong, wrong+"-url")
			clean := scrub.New(redact.New(append(learned, checks.SecretValues(cfg)...)...)).Report(rep)
			out := renderEverything(t, clean)
			for _, leak := range fixtures.SecretLeaks(out.String(), secrets) {
				t.Errorf("leaked: %s", leak)
			}
			if reg := find(t, clean.Results, "registry"); reg.Status == model.Skip {
				t.Fatalf("the registry check did not run: %s", reg.Reason)
			}
		})
	}
}
