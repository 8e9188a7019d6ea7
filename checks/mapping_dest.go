package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// destService describes one kind of AWS on-failure destination.
type destService struct {
	name, kind string // "SQS", "queue"
	read       string // the read-only action esmdoctor's identity needs
	send       string // what the execution role needs (the permissions check's part)
	create     string // how to create one
	missing    []string
}

var destServices = map[string]destService{
	"sqs": {"SQS", "queue", "sqs:GetQueueUrl and sqs:GetQueueAttributes", "sqs:SendMessage", "aws sqs create-queue --queue-name NAME --region REGION",
		[]string{"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}},
	"sns": {"SNS", "topic", "sns:GetTopicAttributes", "sns:Publish", "aws sns create-topic --name NAME --region REGION", []string{"NotFound", "NotFoundException"}},
	"s3":  {"S3", "bucket", "s3:ListBucket", "s3:PutObject and s3:ListBucket", "aws s3api create-bucket --bucket NAME", []string{"NoSuchBucket", "NotFound"}},
}

// isAWSDestination says whether an on-failure destination is an AWS ARN
// (anything but kafka://).
func isAWSDestination(dest string) bool {
	return dest != "" && !strings.HasPrefix(dest, kafkaDestPrefix)
}

// destinationFindings checks an SQS, SNS or S3 on-failure destination,
// read-only with esmdoctor's own identity: it exists, and in the
// function's Region. Whether the execution role may send to it and the
// pollers reach its service are the permissions and network checks'.
func destinationFindings(ctx context.Context, s *State, sess *awsprobe.Session) ([]Outcome, []string) {
	dest := s.onFailure()
	if !isAWSDestination(dest) {
		return nil, nil
	}
	a, _ := awsprobe.ParseARN(dest)
	svc, ok := destServices[a.Service]
	if !ok {
		return []Outcome{warn(catalog.DEST104, Args{"destination": dest})}, nil
	}
	d := sess.Destination(ctx, dest, s.Step)
	args := Args{"destination": dest, "service": svc.name, "operation": d.Operation, "endpoint": d.Endpoint, "region": s.region(),
		"dest_region": d.Region, "create": strings.NewReplacer("NAME", a.Resource, "REGION", orNone(a.Region)).Replace(svc.create)}
	if d.Err != nil {
		return []Outcome{destinationFailure(d.Err, svc, args)}, []string{destinationModeNote(svc)}
	}
	notes := []string{destinationFact(d, svc), destinationModeNote(svc)}
	if acct := functionAccount(s); acct != "" && d.Account != "" && d.Account != acct {
		notes = append(notes, fmt.Sprintf("the %s is in account %s, the function in %s: its resource policy must allow the execution role %s, and a customer-managed KMS key on it must trust the role", svc.kind, d.Account, acct, svc.send))
	}
	if r := s.region(); r != "" && d.Region != "" && d.Region != r {
		return []Outcome{warn(catalog.DEST102, args)}, notes
	}
	return nil, notes
}

// destinationFailure classifies a failed destination read.
func destinationFailure(err error, svc destService, args Args) Outcome {
	args["detail"] = shortErr(err, "")
	args["fix"] = "allow " + svc.read + " on " + args["destination"] + " for esmdoctor's identity (read-only), then rerun"
	f, ok := apiError(err)
	if !ok {
		args["fix"] = "run esmdoctor where HTTPS to " + args["endpoint"] + " works (the mapping's own delivery is not affected by where esmdoctor runs)"
		return warn(catalog.DEST103, args)
	}
	args["api_code"], args["detail"] = f.Code, f.Message
	for _, c := range svc.missing {
		if f.Code == c {
			return warn(catalog.DEST101, args)
		}
	}
	args["detail"] = f.Code + ": " + f.Message
	if !accessDenied(f.Code) && f.Code != "AuthorizationError" {
		args["fix"] = "look up " + f.Code + " in the " + svc.name + " API reference for " + args["operation"]
	}
	return warn(catalog.DEST103, args)
}

// destinationFact states what the service said.
func destinationFact(d awsprobe.Destination, svc destService) string {
	where := "Region " + orNone(d.Region)
	if d.Account != "" {
		where += ", account " + d.Account
	}
	line := fmt.Sprintf("on-failure destination %s: the %s %s exists (%s)", d.ARN, svc.name, svc.kind, where)
	if d.KMSKey != "" {
		line += "; encrypted with KMS key " + d.KMSKey + ", so the execution role also needs kms:Decrypt and kms:GenerateDataKey on it"
	}
	return line
}

// destinationModeNote says which modes take the destination and what its
// delivery needs.
func destinationModeNote(svc destService) string {
	return "an " + svc.name + " destination is taken in on-demand and provisioned mode alike (only a kafka:// destination needs provisioned mode); the execution role needs " +
		svc.send + ", and Lambda documents a VPC endpoint for " + strings.ToLower(svc.name) + " in the cluster's VPC (or NAT) for the delivery"
}

// functionAccount is the function's account, when known.
func functionAccount(s *State) string {
	arn := ""
	if m := s.Facts.Mapping; m != nil {
		arn = m.Mapping.FunctionARN
	} else if f := s.function(); f != nil {
		arn = f.ARN
	}
	a, _ := awsprobe.ParseARN(arn)
	return a.Account
}
