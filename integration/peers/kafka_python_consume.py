"""Test peer: consume like a Lambda event source mapping, with kafka-python.

Run by the integration tests (never by esmdoctor) with Debian's /usr/bin/python3
(python3-kafka 2.0.2, the client of the original bug report). Reads one JSON
object on stdin:
  {"bootstrap": "h:p", "topic": "t", "group": "g", "protocol": "SASL_SSL",
   "mechanism": "SCRAM-SHA-512", "username": "...", "password": "...",
   "cafile": "...", "certfile": "...", "keyfile": "...", "key_password": "...",
   "token": "...", "timeout": 10}
and prints one JSON line: {"outcome": "consumed"|"failed", "detail": "..."}.
"consumed" means the consumer joined the group, got partitions assigned and
fetched from them without an error before the timeout.
"""
import json
import sys
import time

from kafka import KafkaConsumer
from kafka.oauth.abstract import AbstractTokenProvider


class Token(AbstractTokenProvider):
    def __init__(self, token):
        self._token = token

    def token(self):
        return self._token


def settings(spec):
    s = dict(bootstrap_servers=spec["bootstrap"], group_id=spec["group"], client_id="kafka-python-peer",
             enable_auto_commit=False, auto_offset_reset="earliest", security_protocol=spec["protocol"],
             request_timeout_ms=11000, session_timeout_ms=10000, api_version_auto_timeout_ms=4000,
             reconnect_backoff_max_ms=1000)
    if spec["protocol"] in ("SSL", "SASL_SSL"):
        s.update(ssl_check_hostname=True)
        if spec.get("cafile"):
            s.update(ssl_cafile=spec["cafile"])
        if spec.get("certfile"):
            s.update(ssl_certfile=spec["certfile"], ssl_keyfile=spec["keyfile"])
            if spec.get("key_password"):
                s.update(ssl_password=spec["key_password"])
    if spec.get("mechanism"):
        s.update(sasl_mechanism=spec["mechanism"])
        if spec["mechanism"] == "OAUTHBEARER":
            s.update(sasl_oauth_token_provider=Token(spec["token"]))
        else:
            s.update(sasl_plain_username=spec["username"], sasl_plain_password=spec["password"])
    return s


def consume(spec):
    deadline = time.time() + spec.get("timeout", 10)
    consumer = KafkaConsumer(**settings(spec))
    try:
        consumer.subscribe([spec["topic"]])
        while not consumer.assignment():
            if time.time() > deadline:
                return "failed", "no partitions assigned before the timeout"
            consumer.poll(timeout_ms=300)
        consumer.poll(timeout_ms=500)
        return "consumed", "assigned %d partition(s)" % len(consumer.assignment())
    finally:
        consumer.close(autocommit=False)


def main():
    spec = json.load(sys.stdin)
    try:
        outcome, detail = consume(spec)
    except Exception as e:  # every client error is a failure to consume
        outcome, detail = "failed", "%s: %s" % (type(e).__name__, e)
    print(json.dumps({"outcome": outcome, "detail": detail}))


if __name__ == "__main__":
    main()
