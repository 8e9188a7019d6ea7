package awsfake

import (
	"net/http"
	"net/url"
)

// VpcConnection is an MSK multi-VPC connection as DescribeVpcConnection
// returns it (moto has no such API).
type VpcConnection struct {
	ARN, TargetClusterARN string
	State                 string // AVAILABLE (default)
	Authentication        string // IAM, TLS or SASL_SCRAM
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

// describeVpcConnection serves GET /v1/vpc-connection/{Arn}.
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
		"authentication": v.Authentication, "vpcId": v.VpcID, "subnets": v.Subnets, "securityGroups": v.SecurityGroups})
}
