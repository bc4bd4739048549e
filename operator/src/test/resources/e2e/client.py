"""PyIceberg client that the end-to-end suite runs inside a pod (kubectl exec), as a data team's
notebook or job would: through the catalog's Service, over TLS trusting the cluster issuer's CA,
with the admin API key from the Secret the operator created, and S3 keys for the data files.

  client.py bucket NAME                  create the S3 bucket NAME if missing
  client.py write NAMESPACE TABLE ROWS   create namespace and table if missing, append ROWS rows
  client.py count NAMESPACE TABLE        print the table's row count and metadata location as JSON
  client.py keys                         print the catalog's data keys (GET /management/v1/keys)
  client.py tables                       print every table's metadata location as JSON
  client.py cert                         print the serial number of the certificate the catalog
                                         serves on a new TLS connection, as JSON
  client.py load-loop STOP_FILE TABLE... load the tables in a loop until STOP_FILE exists; print
                                         requests, failures, the failure window, the disruption
                                         window (failed or slower than 1 s) and the answers that
                                         closed their connection as JSON

Settings come from the environment: CATALOG_URI, CATALOG_KEY_FILE, CA_FILE, S3_ENDPOINT,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
"""
import json
import os
import sys
import time

import pyarrow as pa
import requests
from pyiceberg.catalog import load_catalog
from pyiceberg.exceptions import NamespaceAlreadyExistsError, NoSuchTableError


def admin_key():
    with open(os.environ["CATALOG_KEY_FILE"]) as f:
        return f.read().strip()


# Connect and read timeouts (seconds) for every catalog request. PyIceberg sets none, and a
# connection attempt that a rollout leaves unanswered (the Service still routes it to the pod that
# just exited: kube-proxy does not clear TCP conntrack entries) would otherwise wait for the
# kernel's SYN timeout, about 130 s. Engines set such timeouts (Iceberg Java:
# rest.client.connection-timeout-ms); docs/operator.md tells users to.
TIMEOUTS = (5, 60)
_send_without_timeouts = requests.Session.request
# Answers that told the client to close its connection: a replica stopping (its shutdown drain, or
# a request in flight at its graceful shutdown). Reported by load-loop.
closing_answers = 0


def _send_with_timeouts(session, method, url, **kwargs):
    global closing_answers
    kwargs.setdefault("timeout", TIMEOUTS)
    response = _send_without_timeouts(session, method, url, **kwargs)
    if response.headers.get("Connection", "").lower() == "close":
        closing_answers += 1
    return response


requests.Session.request = _send_with_timeouts  # PyIceberg's sessions are requests.Session


def catalog():
    return load_catalog("floe", **{
        "type": "rest",
        "uri": os.environ["CATALOG_URI"],
        "token": admin_key(),
        "ssl": {"cabundle": os.environ["CA_FILE"]},
        "s3.endpoint": os.environ["S3_ENDPOINT"],
        "s3.access-key-id": os.environ["AWS_ACCESS_KEY_ID"],
        "s3.secret-access-key": os.environ["AWS_SECRET_ACCESS_KEY"],
        "s3.region": "us-east-1",
    })


def bucket(name):
    from urllib.parse import urlparse
    from pyarrow import fs
    endpoint = urlparse(os.environ["S3_ENDPOINT"])
    s3 = fs.S3FileSystem(endpoint_override=endpoint.netloc, scheme=endpoint.scheme, region="us-east-1",
                         access_key=os.environ["AWS_ACCESS_KEY_ID"], secret_key=os.environ["AWS_SECRET_ACCESS_KEY"],
                         allow_bucket_creation=True)
    s3.create_dir(name)
    print(json.dumps({"bucket": name, "exists": s3.get_file_info(name).type != fs.FileType.NotFound}))


def write(namespace, table, rows):
    cat = catalog()
    try:
        cat.create_namespace(namespace)
    except NamespaceAlreadyExistsError:
        pass
    schema = pa.schema([("id", pa.int64()), ("name", pa.string())])
    identifier = f"{namespace}.{table}"
    try:
        tbl = cat.load_table(identifier)
    except NoSuchTableError:
        tbl = cat.create_table(identifier, schema=schema)
    start = len(tbl.scan().to_arrow())
    ids = list(range(start, start + rows))
    tbl.append(pa.table({"id": ids, "name": [f"row-{i}" for i in ids]}, schema=schema))
    print(json.dumps({"appended": rows, "rows": len(cat.load_table(identifier).scan().to_arrow())}))


def count(namespace, table):
    tbl = catalog().load_table(f"{namespace}.{table}")
    data = tbl.scan().to_arrow()
    ids = sorted(data.column("id").to_pylist())
    print(json.dumps({"rows": len(data), "contiguous": ids == list(range(len(ids))),
                      "metadata_location": tbl.metadata_location}))


def keys():
    response = requests.get(os.environ["CATALOG_URI"] + "/management/v1/keys",
                            headers={"Authorization": "Bearer " + admin_key()},
                            verify=os.environ["CA_FILE"], timeout=10)
    response.raise_for_status()
    print(response.text)


def tables():
    cat = catalog()
    locations = {}
    for namespace in cat.list_namespaces():
        for identifier in cat.list_tables(namespace):
            name = ".".join(identifier)
            locations[name] = cat.load_table(name).metadata_location
    print(json.dumps(locations, sort_keys=True))


def cert():
    """A fresh connection each time (the load loop's keep-alive connections would show the
    certificate of their first handshake), verified against the CA as every client does."""
    import socket
    import ssl
    from urllib.parse import urlparse
    uri = urlparse(os.environ["CATALOG_URI"])
    context = ssl.create_default_context(cafile=os.environ["CA_FILE"])
    with socket.create_connection((uri.hostname, uri.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=uri.hostname) as tls:
            print(json.dumps({"serial": tls.getpeercert()["serialNumber"].upper()}))


def load_loop(stop_file, tables):
    """Loads tables until stop_file appears, counting every failed request (connecting to the
    catalog is a request too). Prints "started" once the first load succeeded, so the caller
    knows the loop runs before it changes anything, and a JSON summary at the end: requests,
    failures by kind, the first errors, the window from the first failed request's start to the
    last one's end, and every request slower than a second (PyIceberg sets no timeout, so a
    request the network leaves unanswered would hold the loop). The client retries nothing
    itself, like PyIceberg's own defaults."""
    cat = None
    requests_made = failures = 0
    first_failure = last_failure = None
    first_disruption = last_disruption = None  # failed requests and those slower than a second
    errors = {}
    samples = []
    slow = []
    started = False
    start = time.monotonic()
    while not os.path.exists(stop_file):
        for identifier in tables:
            requests_made += 1
            began = time.monotonic() - start
            outcome = "ok"
            try:
                if cat is None:
                    cat = catalog()
                cat.load_table(identifier)
                if not started:
                    print("started", flush=True)
                    started = True
            except Exception as e:  # every failure counts, whatever its kind
                failures += 1
                ended = time.monotonic() - start
                first_failure = began if first_failure is None else first_failure
                last_failure = ended
                outcome = type(e).__name__
                errors[outcome] = errors.get(outcome, 0) + 1
                if len(samples) < 5:
                    samples.append(f"{began:.1f}-{ended:.1f}s {outcome}: {str(e)[:160]}")
                cat = None
                time.sleep(0.05)
            took = time.monotonic() - start - began
            if took > 1.0:
                slow.append(f"{began:.1f}s took {took:.1f}s: {outcome}")
            if took > 1.0 or outcome != "ok":
                first_disruption = began if first_disruption is None else first_disruption
                last_disruption = began + took
    print(json.dumps({
        "requests": requests_made, "failures": failures, "errors": errors, "first_errors": samples,
        "slow_requests": slow[:10], "connection_close_answers": closing_answers,
        "seconds": round(time.monotonic() - start, 2),
        "failure_window_seconds": None if first_failure is None else round(last_failure - first_failure, 2),
        # what a user waits through: a connection attempt the network leaves unanswered succeeds late
        "disruption_window_seconds":
            None if first_disruption is None else round(last_disruption - first_disruption, 2),
    }))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "bucket":
        bucket(args[0])
    elif command == "write":
        write(args[0], args[1], int(args[2]))
    elif command == "count":
        count(args[0], args[1])
    elif command == "keys":
        keys()
    elif command == "tables":
        tables()
    elif command == "cert":
        cert()
    elif command == "load-loop":
        load_loop(args[0], args[1:])
    else:
        sys.exit(__doc__)
