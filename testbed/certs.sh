#!/usr/bin/env bash
# Generates every certificate and key the test bed needs, fresh, into the directory given as $1.
# Called by testbed.sh up; can be run alone (bash testbed/certs.sh /tmp/certs).
#
# All keys are RSA 2048 (Java 17 loads them from PEM keystores; Go accepts them).
# Broker certificates carry SAN DNS:localhost,IP:127.0.0.1 because Go ignores the CN.
# Nothing here is secret: it is a local test bed. Never commit the output.
set -euo pipefail

out=${1:?usage: certs.sh OUTDIR}
pw=${CLIENT_KEY_PASSWORD:-esm-key-pass}
mkdir -p "$out"
cd "$out"
rm -rf ./*

days=30

newkey() { # newkey FILE: unencrypted PKCS#8 RSA 2048 ("BEGIN PRIVATE KEY")
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
}

mkca() { # mkca NAME CN
  newkey "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -subj "/O=esmdoctor testbed/CN=$2" -days "$days" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" 2>/dev/null
}

# sign NAME CA CN EXTFILE [extra x509 args...]: key NAME.key, cert NAME.crt (leaf only)
sign() {
  local name=$1 ca=$2 cn=$3 ext=$4
  shift 4
  newkey "$name.key"
  openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=$cn" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial \
    -out "$name.crt" -days "$days" -sha256 -extfile "$ext" "$@" 2>/dev/null
  rm -f "$name.csr"
}

cat > server.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
EOF
cat > badsan.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:wrong.example.com
EOF
cat > client.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
EOF

mkca ca "esmdoctor testbed CA"
mkca other-ca "unrelated CA"

# An intermediate CA signed by the root (ca.pem). Neither the clients' CA file (ca.pem) nor the
# broker's truststore (ca.pem) holds it: a leaf it issued verifies only when the peer sends it.
cat > inter-ca.ext <<'EOF2'
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF2
newkey inter-ca.key
openssl req -new -key inter-ca.key -out inter-ca.csr -subj "/O=esmdoctor testbed/CN=esmdoctor testbed intermediate CA" 2>/dev/null
openssl x509 -req -in inter-ca.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out inter-ca.pem -days "$days" -sha256 \
  -extfile inter-ca.ext 2>/dev/null
rm -f inter-ca.csr

# Broker keystores (ssl.keystore.type=PEM, ssl.keystore.location): PKCS#8 key, then the chain.
sign broker ca localhost server.ext
cat broker.key broker.crt ca.pem > broker-keystore.pem
sign badsan ca wrong.example.com badsan.ext
cat badsan.key badsan.crt ca.pem > badsan-keystore.pem
# A broker certificate from the intermediate, served WITHOUT the intermediate (leaf only): what a
# broker whose keystore lacks its chain sends. Clients trusting ca.pem (the root) cannot build a path.
sign broker-inter inter-ca localhost server.ext
cat broker-inter.key broker-inter.crt > broker-inter-keystore.pem

# The good mTLS client (CN=esm-mtls) and its key in every shape the tests need.
sign client ca esm-mtls client.ext
cat client.crt ca.pem > client-chain.pem
openssl pkcs8 -topk8 -in client.key -out client-key-pbes1.pem -v1 PBE-SHA1-3DES -passout "pass:$pw"
openssl pkcs8 -topk8 -in client.key -out client-key-pbes2.pem -v2 aes-256-cbc -passout "pass:$pw"
openssl pkey -in client.key -traditional -out client-key-pkcs1.pem

sign client-noacl ca esm-mtls-noacl client.ext
cat client-noacl.crt ca.pem > client-noacl-chain.pem

# mTLS principal esm-mtls-inter, issued by the intermediate: the broker trusts the root only, so it
# accepts this client only when the client sends the intermediate too (client-inter-chain.pem);
# client-inter-leaf.pem is the same certificate alone (a secret whose chain stops short).
sign client-inter inter-ca esm-mtls-inter client.ext
cat client-inter.crt inter-ca.pem > client-inter-chain.pem
cp client-inter.crt client-inter-leaf.pem

sign client-untrusted other-ca esm-mtls client.ext
cat client-untrusted.crt other-ca.pem > client-untrusted-chain.pem

# Expired client: `openssl ca` is the OpenSSL 3.0 way to set explicit past dates
# (x509 -req has no -not_after before 3.4, and -days -1 gives notAfter < notBefore).
mkdir -p expca/newcerts
: > expca/index.txt
echo 1000 > expca/serial
cat > expca/ca.cnf <<EOF
[ ca ]
default_ca = tb
[ tb ]
dir = $out/expca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = pol
unique_subject = no
copy_extensions = none
[ pol ]
commonName = supplied
EOF
newkey client-expired.key
openssl req -new -key client-expired.key -out client-expired.csr -subj "/CN=esm-mtls" 2>/dev/null
openssl ca -batch -notext -config expca/ca.cnf -cert ca.pem -keyfile ca.key -in client-expired.csr \
  -out client-expired.crt -startdate 200101000000Z -enddate 200201000000Z -extfile client.ext 2>/dev/null
rm -rf expca client-expired.csr
cat client-expired.crt ca.pem > client-expired-chain.pem

rm -f ./*.srl ./*.ext
chmod 600 ./*.key ./*key*.pem
