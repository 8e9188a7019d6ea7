package netaudit

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/catalog"
)

var pfx = netip.MustParsePrefix

// healthy is an MSK cluster in two private subnets of one VPC, its security
// group self-referencing, on-demand pollers reaching AWS through interface
// endpoints with private DNS.
func healthy() Network {
	allOut := []Rule{{Protocol: "-1", CIDRs: []netip.Prefix{pfx("0.0.0.0/0")}}}
	n := Network{Region: "us-east-1", Mode: OnDemand,
		Pollers:  Placement{Subnets: []string{"subnet-a", "subnet-b"}, SecurityGroups: []string{"sg-msk"}},
		Brokers:  []Broker{{Addr: "b-1.orders.kafka.us-east-1.amazonaws.com:9098", Port: 9098, Located: true, Placement: Placement{Subnets: []string{"subnet-a", "subnet-b"}, SecurityGroups: []string{"sg-msk"}}}},
		Services: []string{"lambda", "sts", "secretsmanager"},
		VPCs:     map[string]VPC{"vpc-1": {ID: "vpc-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}, DNSSupport: true, DNSHostnames: true}},
		Subnets: map[string]Subnet{
			"subnet-a": {ID: "subnet-a", VPC: "vpc-1", AZ: "us-east-1a", CIDR: pfx("10.0.1.0/24"), FreeIPs: 200},
			"subnet-b": {ID: "subnet-b", VPC: "vpc-1", AZ: "us-east-1b", CIDR: pfx("10.0.2.0/24"), FreeIPs: 200},
			"subnet-p": {ID: "subnet-p", VPC: "vpc-1", AZ: "us-east-1a", CIDR: pfx("10.0.100.0/24"), FreeIPs: 200},
		},
		Groups: map[string]SecurityGroup{
			"sg-msk":  {ID: "sg-msk", VPC: "vpc-1", Ingress: []Rule{{Protocol: "-1", Groups: []string{"sg-msk"}}}, Egress: allOut},
			"sg-vpce": {ID: "sg-vpce", VPC: "vpc-1", Ingress: []Rule{{Protocol: "tcp", FromPort: 443, ToPort: 443, Groups: []string{"sg-msk"}}}, Egress: allOut},
		},
		ACLs: []NetworkACL{{ID: "acl-1", VPC: "vpc-1", Default: true, Entries: []ACLEntry{
			{Number: 100, Protocol: "-1", CIDR: pfx("0.0.0.0/0"), Allow: true}, {Number: 100, Egress: true, Protocol: "-1", CIDR: pfx("0.0.0.0/0"), Allow: true},
			{Number: 32767, Protocol: "-1", CIDR: pfx("0.0.0.0/0")}, {Number: 32767, Egress: true, Protocol: "-1", CIDR: pfx("0.0.0.0/0")}}}},
		Tables: []RouteTable{{ID: "rtb-main", VPC: "vpc-1", Main: true, Routes: []Route{{Dest: pfx("10.0.0.0/16"), Gateway: "local", State: "active"}}},
			{ID: "rtb-pub", VPC: "vpc-1", Subnets: []string{"subnet-p"}, Routes: []Route{{Dest: pfx("10.0.0.0/16"), Gateway: "local"}, {Dest: pfx("0.0.0.0/0"), Gateway: "igw-1", State: "active"}}}},
		NATs: map[string]NATGateway{"nat-1": {ID: "nat-1", Subnet: "subnet-p", State: "available", Public: true}},
		IGWs: map[string]InternetGateway{"igw-1": {ID: "igw-1", VPCs: []string{"vpc-1"}}},
	}
	for _, svc := range n.Services {
		n.Endpoints = append(n.Endpoints, Endpoint{ID: "vpce-" + svc, VPC: "vpc-1", Service: "com.amazonaws.us-east-1." + svc, Type: "Interface",
			State: "available", PrivateDNS: true, Subnets: []string{"subnet-a", "subnet-b"}, SecurityGroups: []string{"sg-vpce"}})
	}
	return n
}

// withNAT replaces the endpoints by a NAT route in the main table.
func withNAT(n *Network) {
	n.Endpoints = nil
	n.Tables[0].Routes = append(n.Tables[0].Routes, Route{Dest: pfx("0.0.0.0/0"), NAT: "nat-1", State: "active"})
}

func endpoint(n *Network, svc string) *Endpoint {
	for i := range n.Endpoints {
		if serviceOf(n.Endpoints[i].Service) == svc {
			return &n.Endpoints[i]
		}
	}
	return nil
}

func TestAnalyzeNetwork(t *testing.T) {
	cases := []struct {
		name          string
		mod           func(n *Network)
		code, problem string
		cause         string // in the rendered cause
		fix           string // in the fix
	}{
		{name: "healthy with endpoints", mod: func(*Network) {}},
		{name: "healthy with NAT", mod: withNAT},
		{name: "provisioned without endpoints or NAT", mod: func(n *Network) { n.Endpoints, n.Mode = nil, Provisioned }},
		{name: "no self-referencing rule", mod: func(n *Network) {
			n.Groups["sg-msk"] = SecurityGroup{ID: "sg-msk", Ingress: []Rule{{Protocol: "tcp", FromPort: 443, ToPort: 443, CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}}, Egress: n.Groups["sg-msk"].Egress}
		}, code: "ESM-NET-001", problem: "P1", cause: "admit no TCP 9098", fix: "authorize-security-group-ingress --group-id sg-msk --protocol tcp --port 9098 --source-group sg-msk"},
		{name: "CIDR rule covering the poller subnets", mod: func(n *Network) {
			n.Groups["sg-msk"] = SecurityGroup{ID: "sg-msk", Ingress: []Rule{{Protocol: "tcp", FromPort: 9092, ToPort: 9098, CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}}, Egress: n.Groups["sg-msk"].Egress}
		}},
		{name: "prefix-list rule is undecidable", mod: func(n *Network) {
			n.Groups["sg-msk"] = SecurityGroup{ID: "sg-msk", Ingress: []Rule{{Protocol: "tcp", FromPort: 9098, ToPort: 9098, PrefixLists: []string{"pl-1"}}}, Egress: n.Groups["sg-msk"].Egress}
		}, code: "ESM-NET-101", cause: "prefix list esmdoctor could not read"},
		{name: "no egress", mod: func(n *Network) {
			g := n.Groups["sg-msk"]
			g.Egress = []Rule{{Protocol: "tcp", FromPort: 443, ToPort: 443, CIDRs: []netip.Prefix{pfx("0.0.0.0/0")}}}
			n.Groups["sg-msk"] = g
		}, code: "ESM-NET-002", problem: "P1", cause: "allow no outbound TCP 9098", fix: "authorize-security-group-egress --group-id sg-msk"},
		{name: "NACL blocks ephemeral ports", mod: func(n *Network) {
			n.ACLs = append(n.ACLs, NetworkACL{ID: "acl-b", VPC: "vpc-1", Subnets: []string{"subnet-b"}, Entries: []ACLEntry{
				{Number: 100, Protocol: "6", FromPort: 9098, ToPort: 9098, CIDR: pfx("10.0.0.0/16"), Allow: true},
				{Number: 100, Egress: true, Protocol: "6", FromPort: 9098, ToPort: 9098, CIDR: pfx("10.0.0.0/16"), Allow: true},
				{Number: 110, Protocol: "6", FromPort: 443, ToPort: 443, CIDR: pfx("10.0.0.0/16"), Allow: true},
				{Number: 32767, Protocol: "-1", CIDR: pfx("0.0.0.0/0")}, {Number: 32767, Egress: true, Protocol: "-1", CIDR: pfx("0.0.0.0/0")}}})
		}, code: "ESM-NET-003", problem: "P1", cause: "ephemeral", fix: "--port-range From=1024,To=65535"},
		{name: "public subnet without NAT or endpoints", mod: func(n *Network) {
			n.Endpoints = nil
			n.Tables[0].Routes = append(n.Tables[0].Routes, Route{Dest: pfx("0.0.0.0/0"), Gateway: "igw-1", State: "active"})
		}, code: "ESM-NET-005", problem: "P2", cause: "an internet gateway", fix: "create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id vpc-1 --service-name com.amazonaws.us-east-1.lambda"},
		{name: "NAT in a private subnet", mod: func(n *Network) {
			withNAT(n)
			n.NATs["nat-1"] = NATGateway{ID: "nat-1", Subnet: "subnet-b", State: "available", Public: true}
		}, code: "ESM-NET-013", problem: "P2", cause: "sends 0.0.0.0/0 to no internet gateway"},
		{name: "endpoint without private DNS", mod: func(n *Network) { endpoint(n, "sts").PrivateDNS = false },
			code: "ESM-NET-007", problem: "P2", cause: "private DNS off", fix: "modify-vpc-endpoint --vpc-endpoint-id vpce-sts --private-dns-enabled"},
		{name: "endpoint SG without 443", mod: func(n *Network) {
			n.Groups["sg-vpce"] = SecurityGroup{ID: "sg-vpce", Ingress: []Rule{{Protocol: "tcp", FromPort: 80, ToPort: 80, Groups: []string{"sg-msk"}}}}
		}, code: "ESM-NET-009", problem: "P2", cause: "admit no TCP 443", fix: "--port 443 --source-group sg-msk"},
		{name: "secrets manager endpoint missing", mod: func(n *Network) { n.Endpoints = n.Endpoints[:2] },
			code: "ESM-NET-006", problem: "P2", cause: "com.amazonaws.us-east-1.secretsmanager"},
		{name: "destination endpoint missing", mod: func(n *Network) { n.Services, n.Destination = append(n.Services, "sqs"), "sqs" },
			code: "ESM-NET-017", problem: "P2", cause: "com.amazonaws.us-east-1.sqs"},
		{name: "VPC DNS hostnames off", mod: func(n *Network) { v := n.VPCs["vpc-1"]; v.DNSHostnames = false; n.VPCs["vpc-1"] = v },
			code: "ESM-NET-008", problem: "P2", cause: "enableDnsHostnames off", fix: "--enable-dns-hostnames"},
		{name: "STS endpoint policy denies AssumeRole", mod: func(n *Network) {
			endpoint(n, "sts").Policy = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:GetCallerIdentity","Resource":"*"}]}`
		}, code: "ESM-NET-011", problem: "P3", cause: "sts:AssumeRole"},
		{name: "Lambda endpoint policy explicit deny", mod: func(n *Network) {
			endpoint(n, "lambda").Policy = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":{"Service":"lambda.amazonaws.com"},"Action":"lambda:Invoke*","Resource":"*"}]}`
		}, code: "ESM-NET-012", problem: "P2", cause: "lambda:InvokeFunction"},
		{name: "endpoint policy with a condition is undecidable", mod: func(n *Network) {
			endpoint(n, "sts").Policy = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"1"}}}]}`
		}, code: "ESM-NET-101", cause: "with a condition"},
		{name: "NAT works but the STS endpoint with private DNS refuses 443", mod: func(n *Network) {
			n.Tables[0].Routes = append(n.Tables[0].Routes, Route{Dest: pfx("0.0.0.0/0"), NAT: "nat-1", State: "active"})
			n.Groups["sg-vpce"] = SecurityGroup{ID: "sg-vpce"}
		}, code: "ESM-NET-009", problem: "P2", cause: "admit no TCP 443"},
		{name: "NAT works and an endpoint without private DNS is bypassed", mod: func(n *Network) {
			n.Tables[0].Routes = append(n.Tables[0].Routes, Route{Dest: pfx("0.0.0.0/0"), NAT: "nat-1", State: "active"})
			n.Groups["sg-vpce"] = SecurityGroup{ID: "sg-vpce"}
			for i := range n.Endpoints {
				n.Endpoints[i].PrivateDNS = false
			}
		}},
		{name: "no free IP", mod: func(n *Network) { s := n.Subnets["subnet-a"]; s.FreeIPs = 0; n.Subnets["subnet-a"] = s },
			code: "ESM-NET-014", cause: "0 free addresses"},
		{name: "cross-AZ endpoint", mod: func(n *Network) {
			for i := range n.Endpoints {
				n.Endpoints[i].Subnets = []string{"subnet-a"}
			}
		}, code: "ESM-NET-104", cause: "no subnet in us-east-1b"},
		{name: "missing subnet", mod: func(n *Network) { n.Missing = []string{"subnet-zzz"} }, code: "ESM-NET-015", cause: "subnet-zzz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := healthy()
			c.mod(&n)
			fs := Worst(Analyze(n))
			assertFirst(t, fs, c.code, c.problem, c.cause, c.fix)
		})
	}
}

// assertFirst checks the worst finding, and that every finding agrees with
// the catalog.
func assertFirst(t *testing.T, fs []Finding, code, problem, cause, fix string) {
	t.Helper()
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if f.Status == Pass {
			continue
		}
		e, ok := catalog.Lookup(f.Code)
		if !ok {
			t.Fatalf("%s: unknown code %q", f.Rule, f.Code)
		}
		if string(e.Problem) != f.Problem || string(e.Severity) != string(f.Status) {
			t.Errorf("%s: finding says %s/%s, catalog %s/%s", f.Code, f.Status, f.Problem, e.Severity, e.Problem)
		}
		for _, s := range []string{catalog.Format(e.Cause, f.Args), catalog.Format(e.Remediation, f.Args)} {
			for _, ph := range catalog.Placeholders(e.Cause + e.Remediation) {
				if _, ok := f.Args[ph]; !ok {
					t.Errorf("%s: argument %q missing (%s)", f.Code, ph, s)
				}
			}
		}
	}
	got := fs[0]
	if code == "" {
		if got.Status != Pass {
			t.Fatalf("want every rule to pass, first is %s %s %v", got.Status, got.Code, got.Args)
		}
		return
	}
	if got.Code != code || got.Problem != problem {
		for _, f := range fs {
			t.Logf("%s %s %s %v %s", f.Status, f.Code, f.Rule, f.Args, f.Note)
		}
		t.Fatalf("first finding %s (%s), want %s (%s)", got.Code, got.Problem, code, problem)
	}
	e, _ := catalog.Lookup(code)
	if c := catalog.Format(e.Cause, got.Args); !strings.Contains(c, cause) {
		t.Errorf("cause %q lacks %q", c, cause)
	}
	if r := catalog.Format(e.Remediation, got.Args); !strings.Contains(r, fix) {
		t.Errorf("fix %q lacks %q", r, fix)
	}
}
