// Command mskiamtoken prints an MSK IAM OAUTHBEARER token (see testbed/iamtoken) for
// shell tests, e.g. kafka-python against the test bed's IAM listener.
//
//	mskiamtoken -region us-east-1 -akid AKIA... -secret ... [-ago 20m] [-session TOKEN]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/esmdoctor/esmdoctor/testbed/iamtoken"
)

func main() {
	region := flag.String("region", "us-east-1", "signing region")
	akid := flag.String("akid", os.Getenv("IAM_ACCESS_KEY_ID"), "access key id")
	secret := flag.String("secret", os.Getenv("IAM_SECRET_ACCESS_KEY"), "secret access key")
	session := flag.String("session", "", "session token (optional)")
	ago := flag.Duration("ago", 0, "sign this long ago (over 15m gives an expired token)")
	flag.Parse()
	tok, err := iamtoken.GenerateParams(iamtoken.Params{Region: *region, AccessKeyID: *akid,
		SecretAccessKey: *secret, SessionToken: *session, At: time.Now().Add(-*ago)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(tok)
}
