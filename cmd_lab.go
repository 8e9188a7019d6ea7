package main

import (
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/lab"
	"github.com/urfave/cli/v2"
)

func labCommand() *cli.Command {
	return &cli.Command{
		Name:      "lab",
		Usage:     "start an embedded broker set up for a scenario and run check against it",
		UsageText: "esmdoctor lab [scenario] [flags]\n   esmdoctor lab --list",
		Description: "Starts in-process Kafka brokers (kfake) on 127.0.0.1, configured for the scenario,\n" +
			"and prints the report check would print for a real cluster in that state. Nothing to install.\n\n" +
			"EXAMPLES:\n   esmdoctor lab                  # healthy: every check passes\n" +
			"   esmdoctor lab wrong-password   # see how a rejected SCRAM login is reported\n" +
			"   esmdoctor lab blackhole --timeout 5s",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "list", Usage: "list the scenarios"},
		}, runFlags()...),
		Action: func(c *cli.Context) error {
			if c.Bool("list") {
				for _, s := range lab.Scenarios() {
					fmt.Fprintf(c.App.Writer, "%-18s %s\n", s.Name, s.Summary)
				}
				return nil
			}
			if c.NArg() > 1 {
				return usageErr("lab takes one scenario, got %d: %s", c.NArg(), strings.Join(c.Args().Slice(), " "))
			}
			name := c.Args().First()
			if name == "" {
				name = "healthy"
			}
			if _, ok := lab.Lookup(name); !ok {
				return usageErr("lab: no scenario %q (esmdoctor lab --list shows them)", name)
			}
			if err := commonChecks(c); err != nil {
				return err
			}
			l, err := lab.Start(c.Context, name)
			if err != nil {
				return &exitError{code: exitInternal, msg: "lab: starting " + name + ": " + err.Error()}
			}
			defer l.Close()
			cfg := l.Config
			cfg.Timeout, cfg.JoinGroup, cfg.Verbose = c.Duration("timeout"), c.Bool("join-group"), c.Bool("verbose")
			return runReport(c, cfg, name, l.Secrets...)
		},
	}
}
