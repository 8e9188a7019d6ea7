package lab

import (
	"context"
	"crypto/x509"
	"net"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
)

// The TLS scenarios show where Lambda's Java client judges a broker
// certificate differently from Go's defaults: esmdoctor follows Java.

// upCNOnlyName: the broker certificate names localhost only in its CN; its
// subjectAltName holds only the IP address. Java's hostname check falls
// back to the CN when no DNS entry exists, so a mapping whose bootstrap
// server is localhost works (Go's crypto/x509 would reject it).
func upCNOnlyName(ctx context.Context, b *builder) error {
	leaf := &fixtures.Spec{CN: "localhost", IPs: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, EKU: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true), leaf: leaf})
	if err != nil {
		return err
	}
	b.scramConfig(localhost(hp), Topic, b.user.pass, b.ca)
	return nil
}

// upBrokerKeyUsage: the broker certificate's keyUsage allows only
// keyEncipherment, so it cannot sign the ECDHE or TLS 1.3 handshake: Java's
// client rejects it (Go's crypto/tls does not check keyUsage).
func upBrokerKeyUsage(ctx context.Context, b *builder) error {
	leaf := &fixtures.Spec{CN: "kfake broker", DNS: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageKeyEncipherment, EKU: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true), leaf: leaf})
	if err != nil {
		return err
	}
	b.scramConfig(hp, Topic, b.user.pass, b.ca)
	return nil
}

// localhost names the bootstrap servers by name instead of 127.0.0.1.
func localhost(hp []checks.HostPort) []checks.HostPort {
	out := make([]checks.HostPort, len(hp))
	for i, h := range hp {
		out[i] = checks.HostPort{Host: "localhost", Port: h.Port}
	}
	return out
}

// upMissingIntermediate: the broker certificate is issued by an
// intermediate of the lab CA, the broker sends only its own certificate,
// and the mapping's SERVER_ROOT_CA_CERTIFICATE holds the root: Java's
// client never fetches the missing intermediate, so Lambda fails.
func upMissingIntermediate(ctx context.Context, b *builder) error {
	inter, err := fixtures.Issue(fixtures.Spec{CN: "esmdoctor lab intermediate CA", IsCA: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}, b.ca.Issued())
	if err != nil {
		return err
	}
	leaf := &fixtures.Spec{CN: "kfake broker", DNS: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, EKU: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true), leaf: leaf, issuer: inter})
	if err != nil {
		return err
	}
	b.scramConfig(hp, Topic, b.user.pass, b.ca)
	return nil
}
