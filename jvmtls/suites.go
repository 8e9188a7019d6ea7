package jvmtls

import "crypto/tls"

// Suite is a TLS 1.2 cipher suite Java 17 enables by default.
type Suite struct {
	ID   uint16
	Name string
	KX   KeyExchange
	// Go says whether Go's crypto/tls implements it (and so esmdoctor can
	// complete a handshake with it).
	Go bool
}

// javaTLS12 is Java 17's default TLS 1.2 suite list, in its order
// (jdk.tls.disabledAlgorithms removes 3DES, RC4, anon, NULL and ECDH).
var javaTLS12 = []Suite{
	{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", Signature, true},
	{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", Signature, true},
	{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", Signature, true},
	{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Signature, true},
	{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", Signature, true},
	{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Signature, true},
	{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", Signature, false},
	{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", Signature, false},
	{0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", Signature, false},
	{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", Signature, false},
	{0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", Signature, false},
	{0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", Signature, false},
	{0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", Signature, false},
	{0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", Signature, true},
	{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", Signature, true},
	{0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", Signature, false},
	{0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", Signature, false},
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", Signature, false},
	{0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", Signature, false},
	{0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", Signature, true},
	{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", Signature, true},
	{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", Signature, false},
	{0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", Signature, false},
	{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", Signature, true},
	{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", Signature, true},
	{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", Signature, false},
	{0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", Signature, false},
	{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", Encipherment, true},
	{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", Encipherment, true},
	{0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", Encipherment, false},
	{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", Encipherment, true},
	{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", Encipherment, true},
	{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", Encipherment, true},
}

// JavaTLS12Suites are the IDs of Java 17's default TLS 1.2 suites.
func JavaTLS12Suites() []uint16 {
	ids := make([]uint16, len(javaTLS12))
	for i, s := range javaTLS12 {
		ids[i] = s.ID
	}
	return ids
}

// LookupSuite finds one of Java's TLS 1.2 suites.
func LookupSuite(id uint16) (Suite, bool) {
	for _, s := range javaTLS12 {
		if s.ID == id {
			return s, true
		}
	}
	return Suite{ID: id, Name: tls.CipherSuiteName(id)}, false
}
