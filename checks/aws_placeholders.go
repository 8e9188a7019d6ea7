package checks

import "context"

// The AWS half of the sequence (STS, MSK discovery, the Lambda endpoint)
// needs an AWS target; with self-managed bootstrap servers these steps do
// not apply, as for a mapping that uses neither a secret nor MSK.

var stsCheck = Check{
	ID:    "sts",
	Title: "can obtain an AWS security token",
	Run: func(context.Context, *State) Outcome {
		return notApplicable("no AWS target given (self-managed bootstrap servers, no secret ARN)")
	},
}

var clusterCheck = Check{
	ID:    "cluster",
	Title: "can read the MSK cluster's networking and bootstrap brokers",
	Needs: []string{"sts"},
	Run: func(context.Context, *State) Outcome {
		return notApplicable("self-managed Kafka: no MSK cluster ARN given")
	},
}

var lambdaEndpointCheck = Check{
	ID:    "lambda-endpoint",
	Title: "can reach the Lambda API to invoke the function",
	Run: func(context.Context, *State) Outcome {
		return notApplicable("no AWS target given")
	},
}
