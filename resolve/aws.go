package resolve

import (
	"context"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// Where the function's Region came from (AWS.RegionFrom).
const (
	RegionFromFlag    = "--region"
	RegionFromESM     = "the --esm ARN"
	RegionFromFunc    = "the --function ARN"
	RegionFromDefault = "AWS_REGION or the profile's region"
)

// awsIn is the AWS side as parsed; any says whether an explicit AWS input
// turns the AWS checks on.
type awsIn struct {
	AWS
	any bool
}

// parseAWS validates the AWS flags without calling AWS.
func parseAWS(in Inputs) (*awsIn, error) {
	aw := &awsIn{AWS: AWS{Options: awsprobe.Options{Region: in.Region, Profile: in.Profile, RoleARN: in.RoleARN}, ESM: in.ESM, Function: in.Function}}
	if r := in.Region; r != "" {
		if !regionPattern.MatchString(r) {
			return nil, &InputError{Input: "--region", Value: r, Msg: "not a Region name (for example us-east-1)"}
		}
		aw.RegionFrom = RegionFromFlag
	}
	if r := in.RoleARN; r != "" {
		if a, ok := awsprobe.ParseARN(r); !ok || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
			return nil, &InputError{Input: "--role-arn", Value: r, Msg: "not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"}
		}
	}
	if v := in.EventSourceARN; v != "" {
		if a, ok := awsprobe.ParseARN(v); !ok || a.Service != "kafka" || !(strings.HasPrefix(a.Resource, "cluster/") || awsprobe.IsVpcConnectionARN(v)) || a.Region == "" {
			return nil, &InputError{Input: "--event-source-arn", Value: v, Msg: "not an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>) or VPC connection ARN (…:vpc-connection/<account>/<cluster-name>/<uuid>)"}
		}
		aw.EventSourceARN = v
	}
	if err := parseMapping(in, aw); err != nil {
		return nil, err
	}
	aw.any = aw.EventSourceARN != "" || in.Region != "" || in.Profile != "" || in.RoleARN != "" || aw.MappingGiven()
	return aw, nil
}

// parseMapping validates --esm and --function. An ARN's Region is the
// Region of its own call; a --region that contradicts it is refused.
func parseMapping(in Inputs, aw *awsIn) error {
	if in.ESM != "" && in.Function != "" {
		return Usage("give --esm or --function, not both")
	}
	if in.ESM != "" {
		if a, ok := awsprobe.ParseARN(in.ESM); ok && a.Service == "lambda" && strings.HasPrefix(a.Resource, "event-source-mapping:") {
			aw.ESM = strings.TrimPrefix(a.Resource, "event-source-mapping:")
			if err := arnRegion(aw, "--esm", a.Region, RegionFromESM); err != nil {
				return err
			}
		}
		if !uuidPattern.MatchString(aw.ESM) {
			return &InputError{Input: "--esm", Value: in.ESM, Msg: "not an event source mapping UUID (or ARN)"}
		}
	}
	if a, ok := awsprobe.ParseARN(in.Function); ok && a.Service == "lambda" {
		return arnRegion(aw, "--function", a.Region, RegionFromFunc)
	}
	return nil
}

// arnRegion makes an ARN's Region the function's, refusing a --region that
// says otherwise: a mapping and its function live in one Region.
func arnRegion(aw *awsIn, flag, region, from string) error {
	switch {
	case region == "":
		return nil
	case aw.Options.Region != "" && aw.Options.Region != region:
		return &InputError{Input: "--region", Value: aw.Options.Region,
			Msg: "contradicts the " + flag + " ARN, which is in " + region + " (a mapping lives in its function's Region): drop --region or correct it"}
	}
	aw.Options.Region, aw.RegionFrom = region, from
	return nil
}

// LoadSession reads the AWS configuration (no network); a missing profile
// or Region is an input error.
func LoadSession(ctx context.Context, a *AWS) (*awsprobe.Session, error) {
	sess, err := awsprobe.Load(ctx, a.Options)
	switch {
	case err != nil && awsprobe.ProfileNotFound(err):
		return nil, &InputError{Input: "--profile", Value: a.Options.Profile, Msg: "no such profile in the AWS config and credentials files"}
	case err != nil:
		return nil, &InputError{Input: "AWS configuration", Msg: err.Error()}
	case sess.Region == "":
		return nil, &InputError{Input: "--region", Msg: "no Region: pass --region (the function's Region) or set AWS_REGION"}
	}
	if a.RegionFrom == "" {
		a.RegionFrom = RegionFromDefault
	}
	return sess, nil
}
