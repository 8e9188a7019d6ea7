package main

import (
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/urfave/cli/v2"
)

// runFlags are shared by check and lab.
func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: "timeout", Value: checks.DefaultTimeout, EnvVars: []string{"ESMDOCTOR_TIMEOUT"},
			Usage: "overall budget; each network step gets a quarter of it (0.5s to 10s)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", EnvVars: []string{"ESMDOCTOR_OUTPUT"},
			Usage: report.Usage()},
		&cli.StringFlag{Name: "output-file", EnvVars: []string{"ESMDOCTOR_OUTPUT_FILE"},
			Usage: "write the --output format to this file; the terminal still gets text"},
		&cli.BoolFlag{Name: "no-redact", Usage: "keep secret values in the output (local debugging only; refused for markdown)"},
		&cli.BoolFlag{Name: "no-color", EnvVars: []string{"ESMDOCTOR_NO_COLOR"}, Usage: "no ANSI colours (also off for NO_COLOR or a non-terminal)"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, EnvVars: []string{"ESMDOCTOR_VERBOSE"}, Usage: "show what every check observed, not only failures"},
		&cli.BoolFlag{Name: "join-group", EnvVars: []string{"ESMDOCTOR_JOIN_GROUP"},
			Usage: "prove Read on the group by joining and leaving it at once (refused if it has members)"},
	}
}

// commonChecks validates the flags check and lab share.
func commonChecks(c *cli.Context) error {
	o := c.String("output")
	if _, ok := report.Lookup(o); !ok {
		return usageErr("--output %q: want %s", o, report.Choices())
	}
	if f := c.String("output-file"); f != "" {
		inputs := map[string]string{"--secret-file": flagValue(c, "secret-file"), "--ca-file": flagValue(c, "ca-file")}
		if flag, path := kafkaConfigFile(c); path != "" {
			inputs[flag] = path
		}
		if _, err := outputPath(f, inputs); err != nil {
			return err
		}
	}
	if c.Bool("no-redact") && o == "markdown" {
		return usageErr("--no-redact is refused with --output markdown: that report is made to be shared")
	}
	if t := c.Duration("timeout"); t < checks.MinTimeout || t > 10*time.Minute {
		return usageErr("--timeout %s: want a duration from %s to 10m (e.g. 30s)", t, checks.MinTimeout)
	}
	return nil
}

// flagValue is a string flag's value, "" when the command has no such flag.
func flagValue(c *cli.Context, name string) string {
	for _, f := range c.Command.Flags {
		for _, n := range f.Names() {
			if n == name {
				return c.String(name)
			}
		}
	}
	return ""
}
