package integration

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// scan --in-vpc: one probe function per distinct (subnets, security
// groups, role); a mapping without subnets is checked from here.
func TestScanInVPC(t *testing.T) {
	b := requireInVPC(t)
	fn, _ := b.moFunction(t, "vpcscan-consumer")
	scram := b.secret(t, awsRegion, "vpcscan-scram", scramJSON(b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "")
	wrong := b.secret(t, awsRegion, "vpcscan-wrong", scramJSON(b.Get("SCRAM_USER"), "not-the-password"), "")
	ca := b.secret(t, awsRegion, "vpcscan-ca", b.caJSON(), "")
	add := func(uuid, secret, sg string) {
		acs := [][2]string{{"SASL_SCRAM_512_AUTH", secret}, {"SERVER_ROOT_CA_CERTIFICATE", ca}}
		if sg != "" {
			acs = append(acs, [2]string{"VPC_SUBNET", "subnet:subnet-0abc"}, [2]string{"VPC_SECURITY_GROUP", "security_group:" + sg})
		}
		b.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fn, Bootstrap: []string{b.Get("SASL_SSL")}, Topics: []string{b.Get("TOPIC")},
			ConsumerGroupID: b.group(), AccessConfigs: acs})
	}
	m1, m2, m3, m4 := b.uuid(70), b.uuid(71), b.uuid(72), b.uuid(73)
	add(m1, scram, "sg-0aaa")
	add(m2, wrong, "sg-0aaa") // same network and role as m1: the same probe
	add(m3, scram, "sg-0bbb")
	add(m4, scram, "") // no VPC: checked from here

	code, out, errOut := cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "vpcscan-consumer", "--in-vpc", "-o", "json", "--timeout", "20s")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (m2 fails)\n%s\n%s", code, errOut, out)
	}
	var d struct {
		Summary []struct{ Mapping, Verdict string }
		Reports []struct {
			Notes  []string `json:"notes"`
			Target struct {
				Vantage *struct{ Function string } `json:"vantage"`
			} `json:"target"`
			Checks []struct{ ID, Status, Code string }
		} `json:"reports"`
	}
	if err := jsonUnmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Summary {
		got = append(got, s.Mapping+"="+s.Verdict)
	}
	if strings.Join(got, " ") != strings.Join([]string{m1 + "=pass", m2 + "=fail", m3 + "=pass", m4 + "=pass"}, " ") {
		t.Fatalf("summary %v", got)
	}
	v := func(i int) string {
		if d.Reports[i].Target.Vantage == nil {
			return ""
		}
		return d.Reports[i].Target.Vantage.Function
	}
	if v(0) == "" || v(0) != v(1) || v(2) == "" || v(2) == v(0) || v(3) != "" {
		t.Fatalf("probe functions per mapping: %q %q %q %q", v(0), v(1), v(2), v(3))
	}
	if !strings.Contains(strings.Join(d.Reports[3].Notes, "\n"), "checked from here, not inside a VPC") {
		t.Fatalf("m4 notes %q", d.Reports[3].Notes)
	}
	var failed []string
	for _, c := range d.Reports[1].Checks {
		if c.Status == "fail" {
			failed = append(failed, c.ID+":"+c.Code)
		}
	}
	if strings.Join(failed, ",") != "sasl:ESM-SASL-001" {
		t.Fatalf("m2 failures %v, want sasl:ESM-SASL-001", failed)
	}
	if b.fake.Created() != 2 {
		t.Fatalf("%d probe functions created, want 2", b.fake.Created())
	}
	b.wantNoFunctions(t)
}
