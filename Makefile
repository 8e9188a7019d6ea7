# esmdoctor: build and test. `make test` is the one command CI runs (.ci/run):
# unit tests, then the real-broker test bed up, the fault matrix and the
# agreement runs against it, then the test bed down again.

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
PKGS      := ./...
FUZZTIME  ?= 30s

.PHONY: build lab unit test integration fidelity fidelity-pem fidelity-tls fidelity-filters testbed-up testbed-down vet fmt-check fuzz bench clean

# urfave_cli_no_docs leaves out urfave/cli's man-page and Markdown writers
# (esmdoctor uses neither), whose Markdown library's initialisation every
# run paid at start-up; lambda.norpc leaves out aws-lambda-go's net/rpc mode
# of the retired go1.x runtime (the --in-vpc probe runs on provided.al2023,
# through the Runtime API).
build:
	CGO_ENABLED=0 $(GO) build -trimpath -tags 'urfave_cli_no_docs lambda.norpc' -ldflags '$(LDFLAGS)' -o esmdoctor .

lab: build
	./esmdoctor lab

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Fast tests: no test bed needed (real-broker tests skip without it).
unit:
	$(GO) test -count=1 $(PKGS)

# The whole suite, test bed included; the bed is stopped whatever happens.
test: fmt-check vet
	@set -e; trap 'testbed/testbed.sh down' EXIT; \
	testbed/testbed.sh up; \
	ESMDOCTOR_REQUIRE_TESTBED=1 $(GO) test -p 1 -count=1 -timeout 40m $(PKGS); \
	FUZZTIME=$(FUZZTIME) scripts/fuzz

# Fault matrix and agreement only, against an already running test bed.
integration:
	ESMDOCTOR_REQUIRE_TESTBED=1 $(GO) test -count=1 -v -run 'TestFaultMatrix|TestAgreement' ./integration/

# The three-client agreement tables (TestAgreement: kcat, kafka-python and
# the Java client against the fault matrix, and the lab twins) into
# docs/fidelity.md between its agreement markers; needs the test bed up.
fidelity:
	@out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	ESMDOCTOR_REQUIRE_TESTBED=1 ESMDOCTOR_FIDELITY_AGREEMENT_OUT=$$out $(GO) test -count=1 -run '^TestAgreement$$' ./integration/ && \
	scripts/splice docs/fidelity.md agreement $$out && echo "docs/fidelity.md: agreement tables updated"

# The mTLS secret agreement table (esmdoctor's secret check against Kafka's
# Java PEM loader, TestPEMAgreement) into docs/fidelity.md between its
# markers; needs the test bed's jars (testbed/testbed.sh up). Tests never
# write tracked files: only this target does.
fidelity-pem:
	@out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	ESMDOCTOR_REQUIRE_TESTBED=1 ESMDOCTOR_FIDELITY_PEM_OUT=$$out $(GO) test -count=1 -run '^TestPEMAgreement$$' ./integration/ && \
	scripts/splice docs/fidelity.md pem $$out && echo "docs/fidelity.md: PEM agreement table updated"

# The Java TLS agreement table (esmdoctor's tls check against kafka-clients'
# DefaultSslEngineFactory, TestJavaTLSAgreement) into docs/fidelity.md between
# its markers; needs the test bed's jars. Tests never write tracked files.
fidelity-tls:
	@out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	ESMDOCTOR_REQUIRE_TESTBED=1 ESMDOCTOR_FIDELITY_TLS_OUT=$$out $(GO) test -count=1 -run '^TestJavaTLSAgreement$$' ./integration/ && \
	scripts/splice docs/fidelity.md tls $$out && echo "docs/fidelity.md: TLS agreement table updated"

# The filter agreement table (package filters against AWS's event-ruler,
# TestFilterAgreement) into docs/fidelity.md between its markers; needs the
# event-ruler jars (testbed/testbed.sh up, or testbed/testbed.sh ruler-jars).
fidelity-filters:
	@out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	ESMDOCTOR_REQUIRE_TESTBED=1 ESMDOCTOR_FIDELITY_FILTER_OUT=$$out $(GO) test -count=1 -run '^TestFilterAgreement$$' ./integration/ && \
	scripts/splice docs/fidelity.md filters $$out && echo "docs/fidelity.md: filter agreement table updated"

# Every fuzz target for FUZZTIME each (CI: 30s), executions and crashes printed.
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz

testbed-up:
	testbed/testbed.sh up

testbed-down:
	testbed/testbed.sh down

clean:
	rm -rf esmdoctor dist
