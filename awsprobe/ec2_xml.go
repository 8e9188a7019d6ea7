package awsprobe

// The parts of EC2's query-protocol answers the audit reads (element
// names as in the EC2 API reference; lists are <set><item>...</item></set>).

type xmlSubnet struct {
	ID    string   `xml:"subnetId"`
	VPC   string   `xml:"vpcId"`
	CIDR  string   `xml:"cidrBlock"`
	AZ    string   `xml:"availabilityZone"`
	Free  int      `xml:"availableIpAddressCount"`
	State string   `xml:"state"`
	IPv6  []string `xml:"ipv6CidrBlockAssociationSet>item>ipv6CidrBlock"`
}

type subnetsAnswer struct {
	Items []xmlSubnet `xml:"subnetSet>item"`
	Next  string      `xml:"nextToken"`
}

type vpcsAnswer struct {
	Items []struct {
		ID    string   `xml:"vpcId"`
		CIDRs []string `xml:"cidrBlockAssociationSet>item>cidrBlock"`
	} `xml:"vpcSet>item"`
}

type vpcAttributeAnswer struct {
	DNSSupport   *bool `xml:"enableDnsSupport>value"`
	DNSHostnames *bool `xml:"enableDnsHostnames>value"`
}

type endpointsAnswer struct {
	Items []struct {
		ID         string   `xml:"vpcEndpointId"`
		VPC        string   `xml:"vpcId"`
		Service    string   `xml:"serviceName"`
		Type       string   `xml:"vpcEndpointType"`
		State      string   `xml:"state"`
		PrivateDNS bool     `xml:"privateDnsEnabled"`
		Subnets    []string `xml:"subnetIdSet>item"`
		Groups     []string `xml:"groupSet>item>groupId"`
		Tables     []string `xml:"routeTableIdSet>item"`
		Policy     string   `xml:"policyDocument"`
	} `xml:"vpcEndpointSet>item"`
	Next string `xml:"nextToken"`
}

type xmlPermission struct {
	Protocol    string   `xml:"ipProtocol"`
	From        *int     `xml:"fromPort"`
	To          *int     `xml:"toPort"`
	Groups      []string `xml:"groups>item>groupId"`
	CIDRs       []string `xml:"ipRanges>item>cidrIp"`
	IPv6        []string `xml:"ipv6Ranges>item>cidrIpv6"`
	PrefixLists []string `xml:"prefixListIds>item>prefixListId"`
}

type groupsAnswer struct {
	Items []struct {
		ID      string          `xml:"groupId"`
		VPC     string          `xml:"vpcId"`
		Ingress []xmlPermission `xml:"ipPermissions>item"`
		Egress  []xmlPermission `xml:"ipPermissionsEgress>item"`
	} `xml:"securityGroupInfo>item"`
	Next string `xml:"nextToken"`
}

type aclsAnswer struct {
	Items []struct {
		ID      string   `xml:"networkAclId"`
		VPC     string   `xml:"vpcId"`
		Default bool     `xml:"default"`
		Subnets []string `xml:"associationSet>item>subnetId"`
		Entries []struct {
			Number   int    `xml:"ruleNumber"`
			Protocol string `xml:"protocol"`
			Action   string `xml:"ruleAction"`
			Egress   bool   `xml:"egress"`
			CIDR     string `xml:"cidrBlock"`
			IPv6     string `xml:"ipv6CidrBlock"`
			From     *int   `xml:"portRange>from"`
			To       *int   `xml:"portRange>to"`
		} `xml:"entrySet>item"`
	} `xml:"networkAclSet>item"`
	Next string `xml:"nextToken"`
}

type tablesAnswer struct {
	Items []struct {
		ID           string `xml:"routeTableId"`
		VPC          string `xml:"vpcId"`
		Associations []struct {
			Main   bool   `xml:"main"`
			Subnet string `xml:"subnetId"`
		} `xml:"associationSet>item"`
		Routes []struct {
			Dest       string `xml:"destinationCidrBlock"`
			DestIPv6   string `xml:"destinationIpv6CidrBlock"`
			EgressOnly string `xml:"egressOnlyInternetGatewayId"`
			PrefixList string `xml:"destinationPrefixListId"`
			Gateway    string `xml:"gatewayId"`
			NAT        string `xml:"natGatewayId"`
			Peering    string `xml:"vpcPeeringConnectionId"`
			TransitGW  string `xml:"transitGatewayId"`
			Instance   string `xml:"instanceId"`
			ENI        string `xml:"networkInterfaceId"`
			State      string `xml:"state"`
		} `xml:"routeSet>item"`
	} `xml:"routeTableSet>item"`
	Next string `xml:"nextToken"`
}

type natsAnswer struct {
	Items []struct {
		ID           string `xml:"natGatewayId"`
		Subnet       string `xml:"subnetId"`
		State        string `xml:"state"`
		Connectivity string `xml:"connectivityType"`
	} `xml:"natGatewaySet>item"`
	Next string `xml:"nextToken"`
}

type igwsAnswer struct {
	Items []struct {
		ID   string   `xml:"internetGatewayId"`
		VPCs []string `xml:"attachmentSet>item>vpcId"`
	} `xml:"internetGatewaySet>item"`
	Next string `xml:"nextToken"`
}

type enisAnswer struct {
	Items []struct {
		ID     string   `xml:"networkInterfaceId"`
		Subnet string   `xml:"subnetId"`
		VPC    string   `xml:"vpcId"`
		Groups []string `xml:"groupSet>item>groupId"`
		IPs    []string `xml:"privateIpAddressesSet>item>privateIpAddress"`
		IPv6   []string `xml:"ipv6AddressesSet>item>ipv6Address"`
	} `xml:"networkInterfaceSet>item"`
	Next string `xml:"nextToken"`
}

type prefixListEntriesAnswer struct {
	CIDRs []string `xml:"entrySet>item>cidr"`
	Next  string   `xml:"nextToken"`
}
