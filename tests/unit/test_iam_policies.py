"""The hand-written IAM policies allow every AWS call the adapters make, and nothing by wildcard."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ROOT / "chalicelib" / "adapters" / "aws"
IAM_PREFIX = {"dynamodb": "dynamodb", "sqs": "sqs", "sesv2": "ses", "sns": "sns", "ssm": "ssm",
              "comprehend": "comprehend", "s3": "s3"}
# Run by the owner's `warmline secrets` / `warmline doctor` with the owner's credentials, never by a Lambda role.
OPERATOR_SIDE = {"preflight.py"}


def policy_actions() -> set[str]:
    actions: set[str] = set()
    for name in ("policy-intake.json", "policy-inbound.json", "policy-worker.json"):
        for statement in json.loads((ROOT / ".chalice" / name).read_text())["Statement"]:
            if "Fn::If" in statement:  # a statement only some stacks have (an owner's KMS key)
                statement = statement["Fn::If"][1]
            found = statement["Action"]
            actions.update([found] if isinstance(found, str) else found)
    return actions


def calls_made_by_the_adapters() -> set[str]:
    source = "\n".join(p.read_text() for p in ADAPTERS.glob("*.py") if p.name not in OPERATOR_SIDE)
    session: Any = boto3.session.Session(region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    used: set[str] = set()
    for service, prefix in IAM_PREFIX.items():
        mapping = session.client(service).meta.method_to_api_mapping
        for method, api in mapping.items():
            if re.search(rf"(\.{method}\(|[\"']{method}[\"'])", source):
                used.add(f"{prefix}:{api}")
    return used


def test_every_adapter_call_is_allowed_by_a_policy() -> None:
    used = calls_made_by_the_adapters()
    assert {"dynamodb:PutItem", "sqs:SendMessage", "ses:SendEmail", "sns:Publish",
            "comprehend:BatchDetectSentiment"} <= used  # the scan does find calls
    # SSM is read through Powertools Parameters (get_parameter inside the library).
    missing = sorted(used - policy_actions() - {"ssm:GetParameters"})
    assert missing == [], f"calls the policies do not allow: {missing}"


def test_no_wildcard_actions() -> None:
    assert all("*" not in action for action in policy_actions())
