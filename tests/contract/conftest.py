"""One suite, two adapter families: the local stack and the AWS stack (on a moto server)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chalicelib.ports import CustomerStore, DecisionLog, DeliveryInbox, Mailer, OwnerAlerter, Scheduler
from tests.integration.moto_fixtures import aws_clients, moto_url, new_stack, ses_sent, sns_topic_notifications

__all__ = ["aws_clients", "moto_url"]


@dataclass
class Family:
    name: str
    store: CustomerStore
    log: DecisionLog
    inbox: DeliveryInbox
    mailer: Mailer
    alerter: OwnerAlerter
    emails_with: Callable[[str], int]  # how many emails were really sent whose subject holds this text
    alerts_with: Callable[[str], int]  # how many owner alerts were really sent whose text holds this
    scheduler: Scheduler


def _local(tmp_path: Path) -> Iterator[Family]:
    from chalicelib.adapters.local.alerts import FileAlerts
    from chalicelib.adapters.local.outbox import FileOutbox
    from chalicelib.adapters.local.sqlite import (
        SqliteCustomerStore,
        SqliteDatabase,
        SqliteDecisionLog,
        SqliteDeliveryQueue,
        SqliteScheduler,
    )

    db = SqliteDatabase(tmp_path / "warmline.db")
    outbox = FileOutbox(tmp_path / "outbox")
    alerts = FileAlerts(tmp_path / "alerts.jsonl")

    def emails_with(text: str) -> int:
        return sum(1 for p in outbox.messages() if text in p.read_text(encoding="utf-8", errors="replace"))

    def alerts_with(text: str) -> int:
        return sum(1 for e in alerts.entries() if text in json.dumps(e))

    yield Family("local", SqliteCustomerStore(db), SqliteDecisionLog(db), SqliteDeliveryQueue(db), outbox, alerts,
                 emails_with, alerts_with, SqliteScheduler(db))
    db.close()


def _aws(clients: Any, url: str) -> Family:
    from chalicelib.adapters.aws.dynamodb import (
        DeliveryDedupe,
        DynamoCustomerStore,
        DynamoDecisionLog,
        DynamoScheduler,
        DynamoTable,
        SendClaims,
    )
    from chalicelib.adapters.aws.ses import SesMailer
    from chalicelib.adapters.aws.sns import SnsOwnerAlerter
    from chalicelib.adapters.aws.sqs import SqsDeliveryInbox

    world = new_stack(clients, url)
    table = DynamoTable(clients.dynamodb, world.stack.table)
    topic = world.stack.topic_arn

    def emails_with(text: str) -> int:
        return sum(1 for m in ses_sent(url) if text in m["subject"])

    def alerts_with(text: str) -> int:
        return sum(1 for n in sns_topic_notifications(url, topic) if text in json.dumps(n))

    return Family(
        "aws", DynamoCustomerStore(table), DynamoDecisionLog(table),
        SqsDeliveryInbox(clients.sqs, world.stack.queue_url, DeliveryDedupe(table)),
        SesMailer(clients.sesv2, SendClaims(table, "email"), world.stack.configuration_set),
        SnsOwnerAlerter(clients.sns, SendClaims(table, "alert"), topic),
        emails_with, alerts_with, DynamoScheduler(table),
    )


@pytest.fixture(params=["local", "aws"])
def family(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Family]:
    if request.param == "local":
        yield from _local(tmp_path)
    else:
        url = request.getfixturevalue("moto_url")
        yield _aws(request.getfixturevalue("aws_clients"), url)
