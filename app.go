package main

import (
	"fmt"
	"io"

	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/urfave/cli/v2"
)

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:    "esmdoctor",
		Usage:   "find out why an AWS Lambda event source mapping cannot read from Kafka",
		Version: version,
		Description: `esmdoctor replays the setup sequence of a Lambda Kafka event source mapping
(secret, DNS, TCP, TLS, SASL, topic, advertised brokers, consumer group,
poll) from wherever it runs, and prints each failure with the exact PROBLEM
text Lambda shows, the cause it observed and the fix. It never writes to
the cluster: no topic creation, no produce, no offset commit, no group join
(unless --join-group).

Exit codes: 0 all checks passed (warnings allowed), 1 a check failed,
2 usage or input error, 3 internal error or interrupted.

EXAMPLES:
   esmdoctor lab                                   # see a full report, nothing to install
   esmdoctor check -b b-1.example.com:9096 -t orders --secret-file scram.json --ca-file ca.pem
   esmdoctor check --esm 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --region us-east-1
   esmdoctor explain 'PROBLEM: SASL authentication failed.'

esmdoctor COMMAND --help shows each command's flags and more examples.`,
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Suggest:         true,
		ExitErrHandler:  func(*cli.Context, error) {},
		Commands:        []*cli.Command{checkCommand(), auditCommand(), explainCommand(), labCommand(), probeCommand(), scanCommand(), versionCommand()},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageErr("unknown command %q (see --help)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
	onUsage := func(_ *cli.Context, err error, _ bool) error {
		return usageErr("%s (see --help)", err.Error())
	}
	app.OnUsageError = onUsage
	// Subcommands have their own handler; without it urfave/cli prints the
	// whole help text on a bad flag value instead of one line.
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsage
		for _, sub := range cmd.Subcommands {
			sub.OnUsageError = onUsage
		}
	}
	return app
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version",
		Action: func(c *cli.Context) error {
			fmt.Fprintf(c.App.Writer, "esmdoctor %s\n", version)
			return nil
		},
	}
}

// usageErr is a usage error: exit code 2, like every *resolve.InputError.
func usageErr(format string, args ...any) error {
	return resolve.Usage(format, args...)
}
