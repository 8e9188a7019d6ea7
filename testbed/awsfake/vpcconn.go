package awsfake

import (
	"net/http"
	"net/url"
)

// VpcConnection is an MSK multi-VPC connection as DescribeVpcConnection
// returns it (moto has no such API).
type VpcConnection struct {
	ARN, TargetClusterARN string
	State                 string // AVAILABLE (default), CREATING, INACTIVE, DEACTIVATING, DELETING, FAILED, REJECTED, REJECTING
	Authentication        string // SASL_IAM, SASL_SCRAM or TLS
	VpcID                 string
	Subnets               []string
	SecurityGroups        []string
}

// AddVpcConnection registers (or replaces) a VPC connection.
func (f *Fake) AddVpcConnection(v VpcConnection) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v.State == "" {
		v.State = "AVAILABLE"
	}
	f.vpcConns[v.ARN] = v
}

// describeVpcConnection serves GET /v1/vpc-connection/{Arn} in MSK's
// shape: camelCase members, creationTime as an ISO 8601 string, errors as
// MSK gives them (NotFoundException 404, an injected failure such as
// ForbiddenException 403 for a caller IAM denies).
func (f *Fake) describeVpcConnection(w http.ResponseWriter, escaped string) {
	arn, err := url.PathUnescape(escaped)
	if err != nil {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: "BadRequestException", Message: "bad ARN"})
		return
	}
	if fl, ok := f.failure(arn); ok {
		writeError(w, fl)
		return
	}
	f.mu.Lock()
	v, ok := f.vpcConns[arn]
	f.mu.Unlock()
	if !ok {
		writeError(w, Failure{Status: http.StatusNotFound, Code: "NotFoundException", Message: "The VPC connection " + arn + " does not exist."})
		return
	}
	writeJSON(w, map[string]any{"vpcConnectionArn": v.ARN, "targetClusterArn": v.TargetClusterARN, "state": v.State,
		"authentication": v.Authentication, "vpcId": v.VpcID, "subnets": v.Subnets, "securityGroups": v.SecurityGroups,
		"creationTime": "2026-01-01T00:00:00.000Z", "tags": map[string]string{}})
}
