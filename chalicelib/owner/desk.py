"""The Desk: the owner's working records (messages needing a reply, sessions, labels, action receipts).

A small keyed store with two adapters: a table in the local SQLite file and items in the
DynamoDB single table (pk ``DESK#<kind>``, sk the key). Records that concern a customer carry
``who`` (the customer reference), so the stores' privacy deletes (Shopify redact) find them: on
DynamoDB through the ``by_customer`` index like every other customer item, locally through the
forgetter bootstrap registers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from ..privacy import customer_ref

Clock = Callable[[], datetime]


@runtime_checkable
class Desk(Protocol):
    def put(self, kind: str, key: str, data: dict[str, Any], *, who: str | None = None,
            ttl: timedelta | None = None) -> None:
        """Create or replace a record."""

    def add(self, kind: str, key: str, data: dict[str, Any], *, who: str | None = None,
            ttl: timedelta | None = None) -> bool:
        """Create the record only if absent (an unexpired record with this key): True if created."""

    def get(self, kind: str, key: str) -> dict[str, Any] | None: ...

    def items(self, kind: str) -> list[dict[str, Any]]:
        """Every unexpired record of a kind, each with its key as "_key"."""

    def delete(self, kind: str, key: str) -> bool: ...


def _now() -> datetime:
    return datetime.now(UTC)


class SqliteDesk:
    SCHEMA = ("CREATE TABLE IF NOT EXISTS desk (kind TEXT NOT NULL, key TEXT NOT NULL, who TEXT, expires_at REAL,"
              " data TEXT NOT NULL, PRIMARY KEY (kind, key))")

    def __init__(self, db: Any, clock: Clock = _now) -> None:
        self.db = db  # adapters.local.sqlite.SqliteDatabase
        self.clock = clock
        self._ready = False

    def _setup(self) -> None:
        if not self._ready:
            self.db.execute(self.SCHEMA)
            self._ready = True

    def _expiry(self, ttl: timedelta | None) -> float | None:
        return (self.clock() + ttl).timestamp() if ttl is not None else None

    def put(self, kind: str, key: str, data: dict[str, Any], *, who: str | None = None,
            ttl: timedelta | None = None) -> None:
        self._setup()
        self.db.execute("INSERT OR REPLACE INTO desk (kind, key, who, expires_at, data) VALUES (?, ?, ?, ?, ?)",
                        (kind, key, who, self._expiry(ttl), json.dumps(data, default=str)))

    def add(self, kind: str, key: str, data: dict[str, Any], *, who: str | None = None,
            ttl: timedelta | None = None) -> bool:
        self._setup()
        now = self.clock().timestamp()
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM desk WHERE kind = ? AND key = ? AND expires_at IS NOT NULL AND expires_at <= ?",
                         (kind, key, now))
            cur = conn.execute("INSERT OR IGNORE INTO desk (kind, key, who, expires_at, data) VALUES (?, ?, ?, ?, ?)",
                               (kind, key, who, self._expiry(ttl), json.dumps(data, default=str)))
            return bool(cur.rowcount)

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        self._setup()
        rows = self.db.query("SELECT data, expires_at FROM desk WHERE kind = ? AND key = ?", (kind, key))
        if not rows or (rows[0]["expires_at"] is not None and rows[0]["expires_at"] <= self.clock().timestamp()):
            return None
        data: dict[str, Any] = json.loads(rows[0]["data"])
        return data

    def items(self, kind: str) -> list[dict[str, Any]]:
        self._setup()
        rows = self.db.query("SELECT key, data FROM desk WHERE kind = ? AND (expires_at IS NULL OR expires_at > ?)"
                             " ORDER BY key", (kind, self.clock().timestamp()))
        return [{**json.loads(r["data"]), "_key": r["key"]} for r in rows]

    def delete(self, kind: str, key: str) -> bool:
        self._setup()
        return bool(self.db.execute("DELETE FROM desk WHERE kind = ? AND key = ?", (kind, key)).rowcount)

    def forget(self, email: str) -> int:
        """Privacy delete: every record about this customer ("*": the whole desk)."""
        self._setup()
        if email == "*":
            return int(self.db.execute("DELETE FROM desk").rowcount)
        return int(self.db.execute("DELETE FROM desk WHERE who = ?", (customer_ref(email.lower()),)).rowcount)


class DynamoDesk:
    """Items ``pk=DESK#<kind>, sk=<key>`` in the single table; ``expires_at`` is the table's TTL attribute."""

    def __init__(self, table: Any, clock: Clock = _now) -> None:
        self.table = table  # adapters.aws.dynamodb.DynamoTable
        self.clock = clock

    def _item(self, kind: str, key: str, data: dict[str, Any], who: str | None,
              ttl: timedelta | None) -> dict[str, dict[str, Any]]:
        item: dict[str, dict[str, Any]] = {"pk": {"S": f"DESK#{kind}"}, "sk": {"S": key},
                                           "data": {"S": json.dumps(data, default=str)}}
        if who:
            item["who"] = {"S": who}
        if ttl is not None:
            item["expires_at"] = {"N": str(int((self.clock() + ttl).timestamp()))}
        return item

    def _live(self, item: dict[str, dict[str, Any]]) -> bool:
        expires = item.get("expires_at")
        return expires is None or float(expires["N"]) > self.clock().timestamp()  # TTL deletes lag by hours

    def put(self, kind: str, key: str, data: dict[str, Any], *, who: str | None = None,
            ttl: timedelta | None = None) -> None:
        self.table.put(self._item(kind, key, data, who, ttl))

    def add(self, kind: str, key: str, data: dict[str, Any], *, who: str | None = None,
            ttl: timedelta | None = None) -> bool:
        from ..adapters.aws.dynamodb import is_conditional_failure

        try:
            self.table.put(self._item(kind, key, data, who, ttl),
                           ConditionExpression="attribute_not_exists(pk) OR expires_at <= :now",
                           ExpressionAttributeValues={":now": {"N": str(int(self.clock().timestamp()))}})
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        item = self.table.get(f"DESK#{kind}", key)
        if item is None or not self._live(item):
            return None
        data: dict[str, Any] = json.loads(item["data"]["S"])
        return data

    def items(self, kind: str) -> list[dict[str, Any]]:
        found = self.table.query(KeyConditionExpression="pk = :pk", ExpressionAttributeValues={
            ":pk": {"S": f"DESK#{kind}"}})
        return [{**json.loads(i["data"]["S"]), "_key": i["sk"]["S"]} for i in found if self._live(i)]

    def delete(self, kind: str, key: str) -> bool:
        return self.table.delete(f"DESK#{kind}", key, ReturnValues="ALL_OLD") is not None
