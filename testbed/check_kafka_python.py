"""Consumes the test bed's topic with kafka-python (Debian python3-kafka 2.0.2, the client of the
original bug report) over SCRAM-SHA-512, SCRAM-SHA-256, PLAIN, mTLS and an MSK IAM token (OAUTHBEARER).
Run by testbed/check.sh with the state file exported and TOKEN set; needs /usr/bin/python3
(pyenv's python3 does not see Debian's python3-kafka). Usage: check_kafka_python.py [case...]
"""
import os
import sys
import time
from kafka import KafkaConsumer
from kafka.oauth.abstract import AbstractTokenProvider
e = os.environ
class Tok(AbstractTokenProvider):
    def __init__(self, t): self.t = t
    def token(self): return self.t
common = dict(enable_auto_commit=False, auto_offset_reset='earliest', consumer_timeout_ms=8000, ssl_cafile=e['CA_PEM'], ssl_check_hostname=True)
cases = {
 'scram512': dict(bootstrap_servers=e['SASL_SSL'], security_protocol='SASL_SSL', sasl_mechanism='SCRAM-SHA-512', sasl_plain_username='esm-ok', sasl_plain_password=e['SCRAM_PASSWORD']),
 'scram256': dict(bootstrap_servers=e['SASL_SSL'], security_protocol='SASL_SSL', sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='esm-ok-256', sasl_plain_password=e['SCRAM_PASSWORD']),
 'plain': dict(bootstrap_servers=e['SASL_SSL'], security_protocol='SASL_SSL', sasl_mechanism='PLAIN', sasl_plain_username='esm-plain', sasl_plain_password=e['SCRAM_PASSWORD']),
 'mtls': dict(bootstrap_servers=e['MTLS'], security_protocol='SSL', ssl_certfile=e['CLIENT_CERT_PEM'], ssl_keyfile=e['CLIENT_KEY_PEM']),
 'iam': dict(bootstrap_servers=e['IAM'], security_protocol='SASL_SSL', sasl_mechanism='OAUTHBEARER', sasl_oauth_token_provider=Tok(os.environ.get('TOKEN',''))),
}
which = sys.argv[1:] or list(cases)
for name in which:
    c = KafkaConsumer(group_id=e['ESM_UUID'], **common, **cases[name])
    c.subscribe([e['TOPIC']])
    deadline = time.time() + 30
    while not c.assignment() and time.time() < deadline:
        c.poll(timeout_ms=500)
    c.seek_to_beginning()
    n = 0
    while n < 6 and time.time() < deadline:
        for recs in c.poll(timeout_ms=500).values():
            n += len(recs)
    c.close()
    print(f"kafka-python {name}: consumed {n} records from {e['TOPIC']} as group {e['ESM_UUID']}")
    assert n >= 6, n
