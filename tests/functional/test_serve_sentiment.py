"""Through a real `warmline serve`: a happy customer's thank-you raises no alarm and gets no "sorry" email,
while an upset customer (the control, posted after it) still reaches the owner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from tests.conftest import EXAMPLE_CONFIG, shared_json
from tests.functional.test_serve_cli import config, run, server, wait_for  # noqa: F401  (pytest fixtures)

SOURDOUGH = "The sourdough was wonderful, thank you so much for the lovely note in the box!"
UPSET = ("Where is my order?? It's been 3 weeks and nobody answers my emails. This is awful service. "
         "I want a full refund immediately or I'll dispute the charge.")


def email(message_id: str, subject: str, text: str) -> dict[str, Any]:
    payload: dict[str, Any] = shared_json("email/postmark/postmark-inbound-test-payload.json")
    payload.update(MessageID=message_id, Subject=subject, TextBody=text, StrippedTextReply=text, HtmlBody="",
                   ReplyTo="", From="sam@example.com", FromName="Sam Baker",
                   FromFull={"Email": "sam@example.com", "Name": "Sam Baker", "MailboxHash": ""})
    return payload


def post(url: str, data_dir: Path, payload: dict[str, Any]) -> None:
    token = json.loads((data_dir / "secrets.json").read_text())["inbound_email_token"]
    response = requests.post(f"{url}/webhooks/email/{token}", data=json.dumps(payload),
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 200, response.text


def alerts(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "alerts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_sourdough_thank_you_gets_no_alert_and_no_acknowledgement(server: tuple[str, Path]) -> None:  # noqa: F811
    url, data_dir = server
    post(url, data_dir, email("sourdough-1", "Thank you!", SOURDOUGH))
    post(url, data_dir, email("upset-1", "Still waiting", UPSET))
    outbox = data_dir / "outbox"
    # The control: the upset email, posted second, is alerted and acknowledged, so both were processed.
    assert wait_for(lambda: len(alerts(data_dir)) >= 1 and len(list(outbox.glob("*.eml"))) >= 1)
    assert wait_for(lambda: "sourdough-1" in run("log", "--config", str(EXAMPLE_CONFIG), data_dir=data_dir).stdout)
    (alert,) = alerts(data_dir)
    assert "sourdough" not in alert["text"].lower() and "refund" in " ".join(alert["reasons"]).lower()
    (ack,) = list(outbox.glob("*.eml"))
    assert "To: sam@example.com" in ack.read_text() and "We got your message" in ack.read_text()
    log = run("log", "--config", str(EXAMPLE_CONFIG), data_dir=data_dir)
    entries = [json.loads(line) for line in log.stdout.splitlines()]
    about = [e for e in entries if "sourdough-1" in json.dumps(e)]
    assert about and all(e["decision"] not in ("AlertOwner", "SendEmail") for e in about)
    assert any("no alert: escalation level none" in e.get("reason", "") for e in about)
