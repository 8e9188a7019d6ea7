package main

import (
	"strings"

	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/urfave/cli/v2"
)

// kafkaConfigFlags are create-event-source-mapping's
// --self-managed-kafka-event-source-config and
// --amazon-managed-kafka-event-source-config: the JSON inline, or
// file://PATH as the AWS CLI reads it.
func kafkaConfigFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "self-managed-kafka-event-source-config",
			Usage: `{"ConsumerGroupId":"G","ConsumptionMode":"Stream|Queue","SchemaRegistryConfig":{...}} or file://PATH (self-managed Kafka)`},
		&cli.StringFlag{Name: "amazon-managed-kafka-event-source-config",
			Usage: `{"ConsumerGroupId":"G","SchemaRegistryConfig":{...}} or file://PATH (MSK, with --event-source-arn)`},
	}
}

// kafkaConfigFromFlags parses whichever of the two flags is given into
// in.KafkaConfig; a file:// value is read through inputfile (a regular
// file of at most 65,536 bytes, never blocking).
func kafkaConfigFromFlags(c *cli.Context, in *resolve.Inputs) error {
	var flag, value string
	for _, f := range []string{resolve.FlagSelfManagedConfig, resolve.FlagMSKConfig} {
		if name := strings.TrimPrefix(f, "--"); c.IsSet(name) {
			v := c.String(name)
			if flag != "" {
				return usageErr("give %s or %s, not both: a mapping has one event source", resolve.FlagSelfManagedConfig, resolve.FlagMSKConfig)
			}
			flag, value = f, v
		}
	}
	if flag == "" {
		return nil
	}
	data, quoted := []byte(value), "(the given JSON)"
	if path, ok := strings.CutPrefix(value, "file://"); ok {
		var err error
		if data, err = readInput(c, flag, path); err != nil {
			return err
		}
		quoted = path
	}
	k, err := resolve.ParseKafkaConfig(flag, quoted, data)
	if err != nil {
		return err
	}
	in.KafkaConfig, in.KafkaConfigFlag = &k, flag
	return nil
}

// kafkaConfigFile is the file a file:// Kafka configuration flag names
// and that flag ("" when none), for --output-file's same-file refusal.
func kafkaConfigFile(c *cli.Context) (flag, path string) {
	for _, f := range []string{resolve.FlagSelfManagedConfig, resolve.FlagMSKConfig} {
		if p, ok := strings.CutPrefix(flagValue(c, strings.TrimPrefix(f, "--")), "file://"); ok {
			return f, p
		}
	}
	return "", ""
}

// readInput reads a local input file named by flag through inputfile.
func readInput(c *cli.Context, flag, path string) ([]byte, error) {
	doc, err := readDoc(c.Context, flag, path)
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, usageErr("%s: file:// names no file", flag)
	}
	return doc.Data, nil
}
