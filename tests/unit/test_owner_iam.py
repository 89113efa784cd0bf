"""The console runs in the API function (intake policy): every AWS call the owner's code makes is allowed there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import boto3

from tests.unit.test_iam_policies import IAM_PREFIX, ROOT

OWNER = ROOT / "chalicelib" / "owner"


def intake_actions() -> set[str]:
    import json

    actions: set[str] = set()
    for entry in json.loads((ROOT / ".chalice" / "policy-intake.json").read_text())["Statement"]:
        # a conditional statement ({"Fn::If": [condition, statement, NoValue]}) counts as its statement
        statement = entry["Fn::If"][1] if "Fn::If" in entry else entry
        found = statement["Action"]
        actions.update([found] if isinstance(found, str) else found)
    return actions


def test_the_api_function_may_do_what_the_console_does() -> None:
    source = "\n".join(p.read_text() for p in Path(OWNER).glob("*.py"))
    session: Any = boto3.session.Session(region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    used: set[str] = set()
    for service, prefix in IAM_PREFIX.items():
        for method, api in session.client(service).meta.method_to_api_mapping.items():
            if re.search(rf"\.{method}\(", source):
                used.add(f"{prefix}:{api}")
    assert {"sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"} <= used
    # the desk (dynamodb), the mailer (ses) and the sign-in text (sns) go through the adapters' calls
    used |= {"dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem", "ses:SendEmail", "sns:Publish"}
    assert sorted(used - intake_actions()) == []
