package main

import (
	"fmt"
	"io"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/vpcprobe"
	"github.com/urfave/cli/v2"
)

// probeCommand groups what concerns check --in-vpc's temporary functions.
func probeCommand() *cli.Command {
	return &cli.Command{
		Name:  "probe",
		Usage: "manage the temporary functions of check --in-vpc",
		Subcommands: []*cli.Command{{
			Name:  "cleanup",
			Usage: "list (and with --yes delete) probe functions left behind",
			Description: "Finds functions named " + vpcprobe.NamePrefix + "* tagged " + vpcprobe.TagCreatedBy + "=" + vpcprobe.CreatedBy +
				" (ListFunctions, ListTags).\nWithout --yes nothing is deleted. Probes younger than --older-than are kept: they may belong to a run in progress.",
			Flags: []cli.Flag{
				&cli.BoolFlag{Name: "yes", Usage: "delete them (default: only list)"},
				&cli.DurationFlag{Name: "older-than", Value: 30 * time.Minute, Usage: "only probes created longer ago than this"},
				&cli.StringFlag{Name: "region", Usage: "the Region (default: AWS_REGION or the profile's)"},
				&cli.StringFlag{Name: "profile", Usage: "the AWS profile (default: AWS_PROFILE or the credential chain)"},
			},
			Action: probeCleanup,
		}},
	}
}

// probeCleanup lists the leftovers and deletes them with --yes; exit 1 when
// a delete failed.
func probeCleanup(c *cli.Context) error {
	sess, err := sessionFromFlags(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	found, err := sess.ListProbes(ctx, vpcprobe.NamePrefix)
	if err != nil {
		return &checks.InputError{Input: "probe cleanup", Msg: "cannot list the functions in " + sess.Region + " (lambda:ListFunctions, lambda:ListTags): " + awsErrorText(err)}
	}
	w := c.App.Writer
	old, young := leftovers(found, c.Duration("older-than"), time.Now())
	for _, p := range young {
		fmt.Fprintf(w, "keep    %s  created %s (younger than --older-than: maybe a run in progress)\n", p.Name, p.Tags[vpcprobe.TagCreatedAt])
	}
	if len(old) == 0 {
		fmt.Fprintf(w, "no leftover probe functions in %s\n", sess.Region)
		return nil
	}
	if !c.Bool("yes") {
		for _, p := range old {
			fmt.Fprintf(w, "would delete %s  created %s by %s\n", p.Name, p.Tags[vpcprobe.TagCreatedAt], dashIfNone(p.Tags[vpcprobe.TagCreator]))
		}
		fmt.Fprintf(w, "%d leftover probe function(s); nothing deleted (pass --yes to delete)\n", len(old))
		return nil
	}
	return deleteLeftovers(c, sess, old, w)
}

// leftovers keeps esmdoctor's own probes and splits them by age; a probe
// whose created-at tag cannot be read counts as old.
func leftovers(found []awsprobe.ProbeFunction, olderThan time.Duration, now time.Time) (old, young []awsprobe.ProbeFunction) {
	for _, p := range found {
		if p.Tags[vpcprobe.TagCreatedBy] != vpcprobe.CreatedBy {
			continue
		}
		at, err := time.Parse(time.RFC3339, p.Tags[vpcprobe.TagCreatedAt])
		if err == nil && now.Sub(at) < olderThan {
			young = append(young, p)
			continue
		}
		old = append(old, p)
	}
	return old, young
}

func deleteLeftovers(c *cli.Context, sess *awsprobe.Session, old []awsprobe.ProbeFunction, w io.Writer) error {
	failed := 0
	for _, p := range old {
		if err := sess.DeleteProbe(c.Context, p.Name); err != nil {
			failed++
			fmt.Fprintf(w, "FAILED  %s: %s\n", p.Name, awsErrorText(err))
			continue
		}
		fmt.Fprintf(w, "deleted %s\n", p.Name)
	}
	if failed > 0 {
		return &exitError{code: exitFail, msg: fmt.Sprintf("%d of %d probe function(s) could not be deleted (lambda:DeleteFunction)", failed, len(old))}
	}
	return nil
}
