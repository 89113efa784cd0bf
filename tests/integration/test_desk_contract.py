"""The Desk contract, on SQLite and on DynamoDB (moto): the same cases against both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.aws.dynamodb import DynamoTable
from chalicelib.adapters.local.sqlite import SqliteDatabase
from chalicelib.owner.desk import Desk, DynamoDesk, SqliteDesk
from tests.conftest import Clock

from .moto_fixtures import AwsWorld

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "dynamodb"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Desk, Clock]]:
    clock = Clock(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    if request.param == "sqlite":
        db = SqliteDatabase(tmp_path / "desk.db")
        yield SqliteDesk(db, clock), clock
        db.close()
    else:
        aws: AwsWorld = request.getfixturevalue("aws")
        yield DynamoDesk(DynamoTable(aws.clients.dynamodb, aws.stack.table), clock), clock


def test_put_get_items_delete(desk: tuple[Desk, Clock]) -> None:
    store, _clock = desk
    data: dict[str, Any] = {"text": "Ünïcode <b>ok</b>", "n": 3, "nested": {"a": [1, 2]}}
    store.put("item", "alert:1@x", data, who="c_123")
    store.put("item", "alert:2@x", {"n": 4})
    store.put("other", "alert:1@x", {"n": 5})
    assert store.get("item", "alert:1@x") == data
    assert sorted(i["_key"] for i in store.items("item")) == ["alert:1@x", "alert:2@x"]
    assert store.delete("item", "alert:1@x") and not store.delete("item", "alert:1@x")
    assert store.get("item", "alert:1@x") is None and store.get("other", "alert:1@x") == {"n": 5}


def test_add_claims_once_until_the_record_expires(desk: tuple[Desk, Clock]) -> None:
    store, clock = desk
    assert store.add("claim", "k", {"a": 1}, ttl=timedelta(minutes=15))
    assert not store.add("claim", "k", {"a": 2}, ttl=timedelta(minutes=15))
    assert store.get("claim", "k") == {"a": 1}
    clock.advance(minutes=16)
    assert store.get("claim", "k") is None and store.items("claim") == []
    assert store.add("claim", "k", {"a": 3}, ttl=timedelta(minutes=15))
