"""moto's S3 + STS + IAM server with the two IAM rules credential vending depends on.

moto 5.2.5 (Apache-2.0) already authenticates every request (SigV4 against IAM users' keys and
STS-issued session credentials) and authorises it against the caller's IAM user or role policies
once INITIAL_NO_AUTH_ACTION_COUNT is 0. It does NOT, by itself:
  1. apply the session policy passed to AssumeRole (it stores it and ignores it), so assumed-role
     credentials would get everything the role has;
  2. refuse assumed-role credentials after their Expiration;
  3. evaluate StringLike conditions (unknown condition operators are skipped, so an
     "s3:prefix" condition on ListBucket would allow every prefix).
This launcher adds exactly those three rules to moto's own authorisation step, then runs moto's
server. Everything else (signatures, identity policies, trust policies, the S3 and STS APIs) is
moto's unchanged code. The effective permission of assumed-role credentials is, as on AWS, the
intersection of the role's policies and the session policy; an explicit Deny in either wins.

It also bootstraps one account (in-process, before serving): the buckets named on the command
line; an IAM user "floe-catalog" whose key the catalog uses for its own files and to call
sts:AssumeRole; a role "floe-vending" that user may assume, allowed s3:* on those buckets. The
user's key and the role's ARN are written as JSON to --account-file.

Tests that must see credentials expire without waiting for them pass --clock-offset-file: the
number of seconds in that file (if it exists) is added to "now" when STS sets an Expiration and
when expiry is checked.

Usage: python moto_sts_s3.py --port N --account-file FILE [--bucket NAME ...] [--clock-offset-file F]
"""

import argparse
import datetime
import fnmatch
import json
import os
import sys
from urllib.parse import parse_qs, urlparse

# Authorisation from the very first request: nothing in the account is reachable anonymously.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"

from botocore.model import ShapeResolver  # noqa: E402
from moto.core.errors import ErrorLookup, ErrorShape  # noqa: E402
from moto.s3.exceptions import S3ClientError  # noqa: E402
from moto.core.utils import utcnow  # noqa: E402
from moto.iam import access_control  # noqa: E402
from moto.iam import policy_conditions  # noqa: E402
from moto.iam.models import iam_backends  # noqa: E402
from moto.s3.models import s3_backends  # noqa: E402
from moto.sts.models import STSBackend, sts_backends  # noqa: E402

ACCOUNT = "123456789012"
PARTITION = "aws"
REGION = "us-east-1"


class ExpiredToken(S3ClientError):
    """What S3 answers for expired session credentials (HTTP 400, code ExpiredToken)."""

    code = "ExpiredToken"
    message = "The provided token has expired."


# moto's S3 model has no ExpiredToken error; give it AWS's status (400) instead of moto's 500
_EXPIRED_SHAPE = ErrorShape("ExpiredToken", {"type": "structure", "members": {}, "exception": True,
                                             "error": {"code": "ExpiredToken", "httpStatusCode": 400}},
                            ShapeResolver({}))
_moto_from_code = ErrorLookup.from_code
ErrorLookup.from_code = lambda self, code: _EXPIRED_SHAPE if code == "ExpiredToken" else _moto_from_code(self, code)


def string_like(expected, actual):
    patterns = expected if isinstance(expected, list) else [expected]
    # IAM's StringLike: '*' any run of characters, '?' one character, case-sensitive
    return any(fnmatch.fnmatchcase(actual, p) for p in patterns)


policy_conditions.CONDITION_OPERATIONS["StringLike"] = string_like


def _statement_applies(statement, action, resource, context):
    iam_statement = access_control.IAMPolicyStatement(statement)
    if not iam_statement._check_element_matches("Action", action):
        return False
    if "Resource" in statement and not iam_statement._check_element_matches("Resource", resource):
        return False
    for operator, keys in statement.get("Condition", {}).items():
        check = policy_conditions.CONDITION_OPERATIONS.get(operator)
        if check is None:
            return False  # an operator this server cannot evaluate never grants anything
        for key, expected in keys.items():
            if key not in context or not check(expected, context[key]):
                return False
    return True


def session_policy_permits(policy_json, action, resource, context):
    statements = json.loads(policy_json)["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    allowed = False
    for statement in statements:
        if _statement_applies(statement, action, resource, context):
            if statement["Effect"] == "Deny":
                return False
            allowed = True
    return allowed


def _request_context(iam_request):
    """Condition keys of the request that vending policies use: s3:prefix of a listing."""
    query = parse_qs(urlparse(iam_request._path).query, keep_blank_values=True)
    return {"s3:prefix": query.get("prefix", [""])[0]}


CLOCK_OFFSET_FILE = None


def now():
    offset = 0.0
    if CLOCK_OFFSET_FILE and os.path.exists(CLOCK_OFFSET_FILE):
        with open(CLOCK_OFFSET_FILE) as f:
            offset = float(f.read().strip() or 0)
    return utcnow() + datetime.timedelta(seconds=offset)


_moto_check = access_control.IAMRequestBase.check_action_permitted


def check_action_permitted(self, resource):
    key = self._access_key
    if isinstance(key, access_control.AssumedRoleAccessKey):
        assumed = sts_backends[self.account_id][PARTITION].get_assumed_role_from_access_key(
            key._access_key_id)
        if assumed is not None and assumed.expiration <= now():
            raise ExpiredToken()
        _moto_check(self, resource)  # the role's own policies (moto)
        if assumed is not None and assumed.policy:
            if not session_policy_permits(assumed.policy, self._action, resource, _request_context(self)):
                self._raise_access_denied()
        return
    _moto_check(self, resource)


access_control.IAMRequestBase.check_action_permitted = check_action_permitted

_moto_assume_role = STSBackend.assume_role


def assume_role(self, *args, **kwargs):
    # issue Expiration on the same (possibly offset) clock that expiry is checked against
    role = _moto_assume_role(self, *args, **kwargs)
    role.expiration = now() + datetime.timedelta(seconds=kwargs["duration"])
    return role


STSBackend.assume_role = assume_role


def bootstrap(buckets):
    iam = iam_backends[ACCOUNT][PARTITION]
    s3 = s3_backends[ACCOUNT][PARTITION]
    for bucket in buckets:
        s3.create_bucket(bucket, REGION)
    bucket_arns = [f"arn:aws:s3:::{b}" for b in buckets] + [f"arn:aws:s3:::{b}/*" for b in buckets]
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/floe-vending"
    iam.create_user(REGION, "floe-catalog")
    iam.put_user_policy("floe-catalog", "catalog", json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": bucket_arns},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}))
    access_key = iam.create_access_key("floe-catalog")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/floe-catalog"}}]}
    iam.create_role("floe-vending", json.dumps(trust), "/", None, "role the catalog vends from", [], "43200")
    iam.put_role_policy("floe-vending", "warehouse", json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": bucket_arns}]}))
    return {"accessKeyId": access_key.access_key_id, "secretAccessKey": access_key.secret_access_key,
            "roleArn": role_arn, "region": REGION, "buckets": buckets}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--account-file", required=True)
    parser.add_argument("--bucket", action="append", default=[])
    parser.add_argument("--clock-offset-file")
    args = parser.parse_args()
    global CLOCK_OFFSET_FILE
    CLOCK_OFFSET_FILE = args.clock_offset_file
    account = bootstrap(args.bucket)
    tmp = args.account_file + ".tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump(account, f)
    os.replace(tmp, args.account_file)
    from moto.server import main as moto_main
    moto_main(["-H", "127.0.0.1", "-p", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
