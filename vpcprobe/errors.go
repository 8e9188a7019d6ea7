package vpcprobe

import (
	"context"
	"errors"
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// SetupError is a failure of the probe function itself (creating, waiting
// for, invoking or deleting it), as opposed to a finding about the
// mapping, which is in the report the function returns.
type SetupError struct {
	Phase    string // create, pending, invoke, delete
	Function string
	Role     string
	Err      error               // the API or transport error, if any
	State    awsprobe.ProbeState // set when the function ended Failed
	// FunctionError is Lambda's X-Amz-Function-Error, ErrorDoc its
	// errorType and errorMessage.
	FunctionError, ErrorDoc string
}

func (e *SetupError) Unwrap() error { return e.Err }

// ProbePermission says the caller (or the probe's role) lacks a permission
// the probe needs: not a fault of the mapping.
func (e *SetupError) ProbePermission() bool {
	code, _, _ := awsprobe.ErrorCode(e.Err)
	return code == "AccessDeniedException" || code == "AccessDenied" || code == "UnrecognizedClientException"
}

// Interrupted says the run was cancelled (Ctrl-C, SIGTERM).
func (e *SetupError) Interrupted() bool { return errors.Is(e.Err, context.Canceled) }

func (e *SetupError) Error() string {
	code, msg, api := awsprobe.ErrorCode(e.Err)
	what := fmt.Sprintf("probe function %s, %s: ", e.Function, e.Phase)
	switch {
	case e.FunctionError != "":
		return what + "the function failed (" + e.FunctionError + ", " + e.ErrorDoc + "); the report could not be produced"
	case e.State.State != "":
		return what + fmt.Sprintf("the function became %s (%s: %s)%s", e.State.State, e.State.StateReasonCode, e.State.StateReason, stateHint(e.State.StateReasonCode))
	case e.ProbePermission():
		return what + code + ": " + msg + "; " + permissionHint(e.Phase, e.Role) +
			" (a permission of esmdoctor's probe, not a fault of the mapping)"
	case api && e.Phase == "create" && code == "InvalidParameterValueException":
		return what + code + ": " + msg + "; the probe's role must trust lambda.amazonaws.com and allow the ENI actions of AWSLambdaVPCAccessExecutionRole " +
			"(which the mapping's execution role needs as well), and the subnets and security groups must exist in the function's Region"
	case api:
		return what + code + ": " + msg
	case e.Err != nil:
		return what + e.Err.Error()
	}
	return what + "failed"
}

// permissionHint names the permission a phase needs.
func permissionHint(phase, role string) string {
	switch phase {
	case "create":
		return "the caller needs lambda:CreateFunction and lambda:TagResource, and iam:PassRole on " + orRole(role)
	case "pending":
		return "the caller needs lambda:GetFunction (GetFunctionConfiguration)"
	case "invoke":
		return "the caller needs lambda:InvokeFunction on the probe function"
	}
	return "the caller needs lambda:DeleteFunction on " + NamePrefix + "*; remove the leftover with esmdoctor probe cleanup"
}

func orRole(role string) string {
	if role == "" {
		return "the probe's role"
	}
	return role
}

// stateHint explains the StateReasonCodes a VPC function fails with.
func stateHint(code string) string {
	switch code {
	case "InsufficientRolePermissions":
		return ": the role lacks the ENI actions of AWSLambdaVPCAccessExecutionRole (ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DeleteNetworkInterface...), which the mapping's execution role needs as well"
	case "SubnetOutOfIPAddresses", "EniLimitExceeded":
		return ": the subnets cannot hold another network interface; the mapping's pollers need them too"
	case "InvalidSubnet", "InvalidSecurityGroup":
		return ": the mapping's network configuration names a subnet or security group that does not exist"
	}
	return ""
}
