package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

// interspersed moves a subcommand's flags before its positional arguments,
// so `esmdoctor lab blackhole --timeout 5s` works: urfave/cli v2 stops
// parsing flags at the first positional argument.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.Name == args[1] {
			cmd = c
		}
	}
	if cmd == nil || len(cmd.Subcommands) > 0 {
		return args // a command with subcommands: its flags follow the subcommand
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, positional []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
			i++
			flags = append(flags, rest[i])
		}
	}
	out := append([]string{args[0], args[1]}, flags...)
	if len(positional) > 0 {
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out
}

// repeatedFlags refuses a single-value flag given twice (urfave/cli would
// keep the last one without a word) and merges repeated
// --bootstrap-servers into one comma-separated list, as the mapping's
// KAFKA_BOOTSTRAP_SERVERS is one list. args is interspersed's output.
func repeatedFlags(app *cli.App, args []string) ([]string, error) {
	cmd := command(app, args)
	if cmd == nil {
		return args, nil
	}
	byName := map[string]cli.Flag{}
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			byName[n] = f
		}
	}
	type seen struct {
		values []string
		at     []int // indexes of the flag in args
	}
	got := map[string]*seen{}
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f, ok := byName[name]
		if !ok {
			continue
		}
		switch f.(type) {
		case *cli.BoolFlag:
			continue
		case *cli.GenericFlag:
			i++ // repeatable by design
			continue
		case *cli.StringSliceFlag:
			if !inline {
				i++ // repeatable by design (--parameter Key=Value)
			}
			continue
		}
		at := []int{i}
		if !inline && i+1 < len(args) {
			i++
			value = args[i]
			at = append(at, i)
		}
		key := f.Names()[0]
		if got[key] == nil {
			got[key] = &seen{}
		}
		got[key].values = append(got[key].values, value)
		got[key].at = append(got[key].at, at...)
	}
	for key, s := range got {
		if len(s.values) < 2 {
			continue
		}
		if key != "bootstrap-servers" {
			return nil, usageErr("--%s given %d times (%s): it takes one value, give it once", key, len(s.values), quoteAll(s.values))
		}
	}
	b := got["bootstrap-servers"]
	if b == nil || len(b.values) < 2 {
		return args, nil
	}
	drop := map[int]bool{}
	for _, i := range b.at {
		drop[i] = true
	}
	out := []string{args[0], args[1], "--bootstrap-servers=" + strings.Join(b.values, ",")}
	for i := 2; i < len(args); i++ {
		if !drop[i] {
			out = append(out, args[i])
		}
	}
	return out, nil
}

func command(app *cli.App, args []string) *cli.Command {
	if len(args) < 2 {
		return nil
	}
	for _, c := range app.Commands {
		if c.Name == args[1] {
			return c
		}
	}
	return nil
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// boolEnv normalises the boolean environment variables of the command's
// flags: 1/0, true/false, yes/no and on/off (any case) are accepted;
// anything else is refused naming the variable, rather than with
// strconv's text.
func boolEnv(app *cli.App, args []string) error {
	cmd := command(app, args)
	if cmd == nil {
		return nil
	}
	for _, f := range cmd.Flags {
		bf, ok := f.(*cli.BoolFlag)
		if !ok {
			continue
		}
		for _, env := range bf.EnvVars {
			v, set := os.LookupEnv(env)
			if !set || strings.TrimSpace(v) == "" {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "1", "true", "yes", "on":
				_ = os.Setenv(env, "true")
			case "0", "false", "no", "off":
				_ = os.Setenv(env, "false")
			default:
				return usageErr("%s=%q: want 1 or 0, true or false, yes or no, on or off", env, v)
			}
		}
	}
	return nil
}
