"""The embedded store and queue: one SQLite file in the data directory.

SQLite in WAL mode with a busy timeout lets `warmline serve` (HTTP thread and
ticker thread) and a `warmline tick` in another process share the file safely.
Every write is its own short transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ...domain.decisions import SendEmail
from ...domain.state import AbandonedCartSequence, CustomerState
from ...ports import MAX_ATTEMPTS, Delivery, IntakeUnavailable, MemoryConflict, ScheduledStep
from ...privacy import customer_ref
from ..aliases import customer_aliases, forget_in_memory
from .files import pid_alive, private_dir, private_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    topic TEXT NOT NULL,
    shop TEXT,
    triggered_at TEXT,
    body BLOB NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',      -- queued | running | done
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    done_at TEXT
);
-- No full secondary index on deliveries: each doubles the intake insert's tail latency (bench/intake.py).
-- The worker's look-ups use small partial indexes instead (QUEUE_SCHEMA below).
DROP INDEX IF EXISTS deliveries_due;
CREATE TABLE IF NOT EXISTS dead_letters (
    delivery_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    topic TEXT NOT NULL,
    body BLOB NOT NULL,
    received_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NOT NULL,
    died_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
    email TEXT PRIMARY KEY,
    customer_id TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_by_id ON customers(customer_id);
CREATE TABLE IF NOT EXISTS sequences (
    checkout_token TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    cart_token TEXT,
    checkout_id TEXT,
    next_due TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sequences_due ON sequences(next_due);
CREATE INDEX IF NOT EXISTS sequences_email ON sequences(email);
CREATE INDEX IF NOT EXISTS sequences_cart ON sequences(cart_token);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    customer_ref TEXT,
    entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS held_emails (
    key TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    held_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
    flow TEXT NOT NULL,
    key TEXT NOT NULL,
    due_at TEXT NOT NULL,                        -- UTC key; while claimed, when the claim runs out
    data TEXT NOT NULL,
    email TEXT,
    grp TEXT,
    status TEXT NOT NULL DEFAULT 'pending',      -- pending | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    claim TEXT,
    last_error TEXT,
    PRIMARY KEY (flow, key)
);
CREATE INDEX IF NOT EXISTS steps_due ON steps(status, due_at);
CREATE INDEX IF NOT EXISTS steps_group ON steps(flow, grp);
CREATE INDEX IF NOT EXISTS steps_email ON steps(email);
CREATE TABLE IF NOT EXISTS memory (
    flow TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (flow, key)
);
CREATE TABLE IF NOT EXISTS customer_aliases (     -- order ids and Stripe customer ids -> the customer's email
    alias TEXT PRIMARY KEY,
    email TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customer_aliases_email ON customer_aliases(email);
CREATE TABLE IF NOT EXISTS undeliverable (
    customer_ref TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exports (
    export_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
"""


# The queue's indexes (owned with the delivery queue): partial, so each covers only the rows the worker looks
# for. An insert by intake touches the small `queued` index only; done rows (the bulk of the table within the
# dedupe window) are in none but `done` (for prune), so the claim query does not grow with the table.
QUEUE_SCHEMA = """
CREATE INDEX IF NOT EXISTS deliveries_queued ON deliveries(next_attempt_at) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS deliveries_running ON deliveries(lease_until) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS deliveries_done ON deliveries(done_at) WHERE status = 'done';
-- Keys (hashed) of emails and alerts the decision log has seen go out: a repeat is logged as a duplicate.
-- Forgotten with the customer (the outbox forgets their emails too, so a repeat after that really sends).
CREATE TABLE IF NOT EXISTS sent_keys (key_hash TEXT PRIMARY KEY, first_at TEXT NOT NULL, customer_ref TEXT);
"""


def _upgrade_queue(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(deliveries)")}
    if "claimed_by" not in columns:  # which worker (host/pid) holds a running delivery
        conn.execute("ALTER TABLE deliveries ADD COLUMN claimed_by TEXT")
    conn.executescript(QUEUE_SCHEMA)
    if "customer_ref" not in {row[1] for row in conn.execute("PRAGMA table_info(sent_keys)")}:
        conn.execute("ALTER TABLE sent_keys ADD COLUMN customer_ref TEXT")


class SqliteDatabase:
    """One SQLite file; a connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            private_dir(self.path.parent)  # the data directory holds customer data: 0700
            if not self.path.exists():  # created 0600 (sqlite3 would use the umask: 0644)
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            with self._init_lock:
                if not self._ready:
                    conn.executescript(SCHEMA)
                    _upgrade_queue(conn)
                    for suffix in ("", "-wal", "-shm"):
                        private_file(Path(f"{self.path}{suffix}"))
                    self._ready = True
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """One statement in its own (autocommit) transaction."""
        return self._connect().execute(sql, params)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return self._connect().execute(sql, params).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _iso(dt: datetime) -> str:
    return dt.isoformat()


class SqliteDeliveryQueue:
    """Durable intake queue with dedupe, leases, retry with backoff and dead letters."""

    # Short, and extended by the runner while it works (heartbeat); a worker that died on this machine loses
    # its claim at once (reclaim_orphans), so the lease only matters for one that hangs.
    lease = timedelta(seconds=60)
    backoff_base = timedelta(seconds=30)

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    # --- DeliveryInbox --------------------------------------------------
    def accept(self, delivery: Delivery) -> bool:
        # One autocommitted statement: the row is the dedupe record and the queue entry at once, and it is
        # never deleted (done and dead deliveries keep their id), so a repeat is always a duplicate.
        try:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO deliveries (delivery_id, source, topic, shop, triggered_at, body,"
                " received_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (delivery.delivery_id, delivery.source, delivery.topic, delivery.shop, delivery.triggered_at,
                 delivery.body, _iso(delivery.received_at), _iso(delivery.received_at)),
            )
        except sqlite3.Error as exc:
            raise IntakeUnavailable(f"local queue unavailable: {exc}") from exc
        return cur.rowcount == 1

    # --- worker side ------------------------------------------------------
    def claim(self, now: datetime, limit: int = 25, owner: str | None = None) -> list[Delivery]:
        """Take due deliveries (and ones whose worker died mid-run) under a lease held by `owner`.

        Both look-ups run on partial indexes (queued rows by due time, running rows by lease end), so the
        cost follows the work waiting, not the done rows kept for dedupe."""
        owner = owner or worker_id()
        stamp = _iso(now)
        with self.db.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM deliveries WHERE status = 'running' AND lease_until <= ? ORDER BY lease_until"
                " LIMIT ?", (stamp, limit)).fetchall()
            if len(rows) < limit:
                rows += conn.execute(
                    "SELECT * FROM deliveries WHERE status = 'queued' AND next_attempt_at <= ?"
                    " ORDER BY next_attempt_at LIMIT ?", (stamp, limit - len(rows))).fetchall()
            conn.executemany(
                "UPDATE deliveries SET status = 'running', attempts = attempts + 1, lease_until = ?, claimed_by = ?"
                " WHERE delivery_id = ?",
                [(_iso(now + self.lease), owner, row["delivery_id"]) for row in rows],
            )
        return [
            Delivery(
                delivery_id=row["delivery_id"], source=row["source"], topic=row["topic"], body=bytes(row["body"]),
                received_at=datetime.fromisoformat(row["received_at"]), shop=row["shop"],
                triggered_at=row["triggered_at"], attempts=row["attempts"] + 1,
            )
            for row in rows
        ]

    def extend(self, delivery_ids: list[str], now: datetime, owner: str | None = None) -> int:
        """Heartbeat: push the lease of deliveries `owner` still holds one lease further."""
        if not delivery_ids:
            return 0
        owner = owner or worker_id()
        with self.db.transaction() as conn:
            cur = conn.executemany(
                "UPDATE deliveries SET lease_until = ? WHERE delivery_id = ? AND status = 'running'"
                " AND claimed_by = ?", [(_iso(now + self.lease), d, owner) for d in delivery_ids])
            return cur.rowcount

    def reclaim_orphans(self, now: datetime) -> int:
        """Deliveries held by a worker on this machine that is no longer running (kill -9, crash) become
        claimable now, instead of when their lease runs out. Returns how many."""
        host = socket.gethostname()
        dead = []
        for row in self.db.query("SELECT DISTINCT claimed_by FROM deliveries WHERE status = 'running'"):
            holder = row["claimed_by"] or ""
            holder_host, _, pid = holder.rpartition("/")
            if holder_host == host and pid.isdigit() and not pid_alive(int(pid)):
                dead.append(holder)
        if not dead:
            return 0
        with self.db.transaction() as conn:
            cur = conn.executemany(
                "UPDATE deliveries SET lease_until = ? WHERE status = 'running' AND claimed_by = ?",
                [(_iso(now), holder) for holder in dead])
            return cur.rowcount

    def complete(self, delivery_id: str, now: datetime) -> None:
        self.complete_many([delivery_id], now)

    def complete_many(self, delivery_ids: list[str], now: datetime) -> None:
        """Mark a batch done in one transaction."""
        if not delivery_ids:
            return
        with self.db.transaction() as conn:
            conn.executemany(
                # The id stays for dedupe; the body (customer data) is no longer needed.
                "UPDATE deliveries SET status = 'done', done_at = ?, lease_until = NULL, last_error = NULL,"
                " body = X'' WHERE delivery_id = ?",
                [(_iso(now), d) for d in delivery_ids],
            )

    def fail(self, delivery_id: str, error: str, now: datetime) -> bool:
        """Record a failure; returns True if the delivery went to the dead letters."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT * FROM deliveries WHERE delivery_id = ?", (delivery_id,)).fetchone()
            if row is None:
                return False
            attempts = int(row["attempts"])
            if attempts >= MAX_ATTEMPTS:
                conn.execute(
                    "INSERT OR REPLACE INTO dead_letters (delivery_id, source, topic, body, received_at, attempts,"
                    " error, died_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (delivery_id, row["source"], row["topic"], row["body"], row["received_at"], attempts,
                     error[:4000], _iso(now)),
                )
                conn.execute(
                    "UPDATE deliveries SET status = 'dead', last_error = ?, lease_until = NULL WHERE delivery_id = ?",
                    (error[:4000], delivery_id),
                )
                return True
            delay = self.backoff_base * (2 ** (attempts - 1))
            conn.execute(
                "UPDATE deliveries SET status = 'queued', next_attempt_at = ?, lease_until = NULL, last_error = ?"
                " WHERE delivery_id = ?",
                (_iso(now + delay), error[:4000], delivery_id),
            )
            return False

    def prune(self, before: datetime) -> int:
        """Forget done deliveries older than `before` (past every sender's retry window: Shopify 48 h, Stripe 3 d)."""
        return self.db.execute("DELETE FROM deliveries WHERE status = 'done' AND done_at < ?", (_iso(before),)).rowcount

    def dead_letters(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT delivery_id, source, topic, received_at, attempts, error, died_at"
                             " FROM dead_letters ORDER BY died_at")
        return [dict(row) for row in rows]

    def counts(self) -> dict[str, int]:
        rows = self.db.query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")
        return {row["status"]: row["n"] for row in rows}

    def retry_dead_letter(self, delivery_id: str, now: datetime) -> bool:
        """Owner's choice after fixing the cause: put a dead letter back on the queue."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT 1 FROM dead_letters WHERE delivery_id = ?", (delivery_id,)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM dead_letters WHERE delivery_id = ?", (delivery_id,))
            conn.execute(
                "UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = ? WHERE delivery_id = ?",
                (_iso(now), delivery_id),
            )
            return True


class SqliteCustomerStore:
    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    def get_customer(self, email: str) -> CustomerState | None:
        rows = self.db.query("SELECT data FROM customers WHERE email = ?", (email.lower(),))
        return CustomerState.from_dict(json.loads(rows[0]["data"])) if rows else None

    def save_customer(self, customer: CustomerState) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO customers (email, customer_id, data) VALUES (?, ?, ?) ON CONFLICT(email) DO UPDATE"
                " SET customer_id = excluded.customer_id, data = excluded.data",
                (customer.email.lower(), customer.customer_id, json.dumps(customer.to_dict())),
            )
            for alias in customer_aliases(customer):
                conn.execute("INSERT OR REPLACE INTO customer_aliases (alias, email) VALUES (?, ?)",
                             (alias, customer.email.lower()))

    def find_customer(self, *, order_id: str | None = None, stripe_customer: str | None = None
                      ) -> CustomerState | None:
        for alias in (f"order:{order_id}" if order_id else None,
                      f"stripe:{stripe_customer}" if stripe_customer else None):
            if alias:
                rows = self.db.query("SELECT email FROM customer_aliases WHERE alias = ?", (alias,))
                if rows:
                    return self.get_customer(rows[0]["email"])
        return None

    def get_memory(self, flow: str, key: str) -> tuple[dict[str, Any], int] | None:
        rows = self.db.query("SELECT data, version FROM memory WHERE flow = ? AND key = ?", (flow, key))
        return (json.loads(rows[0]["data"]), int(rows[0]["version"])) if rows else None

    def save_memory(self, flow: str, key: str, data: dict[str, Any], version: int) -> None:
        with self.db.transaction() as conn:
            if version == 0:
                cur = conn.execute("INSERT OR IGNORE INTO memory (flow, key, version, data) VALUES (?, ?, 1, ?)",
                                   (flow, key, json.dumps(data)))
            else:
                cur = conn.execute("UPDATE memory SET version = version + 1, data = ? WHERE flow = ? AND key = ?"
                                   " AND version = ?", (json.dumps(data), flow, key, version))
            if cur.rowcount != 1:
                raise MemoryConflict(f"{flow}/{key} changed since version {version}")

    def get_sequence(self, checkout_token: str) -> AbandonedCartSequence | None:
        rows = self.db.query("SELECT data FROM sequences WHERE checkout_token = ?", (checkout_token,))
        return AbandonedCartSequence.from_dict(json.loads(rows[0]["data"])) if rows else None

    def save_sequence(self, sequence: AbandonedCartSequence) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO sequences (checkout_token, email, cart_token, checkout_id, next_due, data)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(checkout_token) DO UPDATE SET email = excluded.email,"
                " cart_token = excluded.cart_token, checkout_id = excluded.checkout_id,"
                " next_due = excluded.next_due, data = excluded.data",
                (sequence.checkout_token, sequence.email.lower(), sequence.cart_token, sequence.checkout_id,
                 _utc_key(sequence.next_due), json.dumps(sequence.to_dict())),
            )

    def find_sequences(
        self, *, email: str | None = None, cart_token: str | None = None, checkout_id: str | None = None
    ) -> list[AbandonedCartSequence]:
        clauses, params = [], []
        for column, value in (("email", email.lower() if email else None), ("cart_token", cart_token),
                              ("checkout_id", checkout_id)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if not clauses:
            return []
        rows = self.db.query(f"SELECT data FROM sequences WHERE {' OR '.join(clauses)}", tuple(params))
        return [AbandonedCartSequence.from_dict(json.loads(r["data"])) for r in rows]

    def forget_customer(self, email: str | None, customer_id: str | None) -> int:
        emails: set[str] = set()
        if email:
            emails.add(email.lower())
        removed = 0
        with self.db.transaction() as conn:
            if customer_id:
                for row in conn.execute("SELECT email FROM customers WHERE customer_id = ?", (customer_id,)):
                    emails.add(row["email"])
            for addr in emails:
                removed += conn.execute("DELETE FROM decisions WHERE customer_ref = ?", (customer_ref(addr),)).rowcount
                conn.execute("DELETE FROM sent_keys WHERE customer_ref = ?", (customer_ref(addr),))
                # Queued or dead deliveries that mention the customer lose their bodies.
                like = f"%{addr}%"
                removed += conn.execute("UPDATE dead_letters SET body = X'' WHERE CAST(body AS TEXT) LIKE ?",
                                        (like,)).rowcount
                removed += conn.execute("DELETE FROM exports WHERE data LIKE ?", (like,)).rowcount
                removed += conn.execute("DELETE FROM customers WHERE email = ?", (addr,)).rowcount
                removed += conn.execute("DELETE FROM sequences WHERE email = ?", (addr,)).rowcount
                removed += conn.execute("DELETE FROM held_emails WHERE email = ?", (addr,)).rowcount
                removed += conn.execute("DELETE FROM steps WHERE email = ?", (addr,)).rowcount
                removed += conn.execute("DELETE FROM customer_aliases WHERE email = ?", (addr,)).rowcount
                for row in conn.execute("SELECT flow, key, data FROM memory WHERE data LIKE ?", (like,)).fetchall():
                    conn.execute("UPDATE memory SET data = ?, version = version + 1 WHERE flow = ? AND key = ?",
                                 (json.dumps(forget_in_memory(json.loads(row["data"]), addr)), row["flow"],
                                  row["key"]))
                    removed += 1
                removed += conn.execute("DELETE FROM undeliverable WHERE customer_ref = ?",
                                        (customer_ref(addr),)).rowcount
        return removed

    def forget_shop(self) -> int:
        removed = 0
        with self.db.transaction() as conn:
            for table in ("customers", "sequences", "held_emails", "exports", "steps", "memory", "customer_aliases",
                          "undeliverable"):
                removed += conn.execute(f"DELETE FROM {table}").rowcount
            removed += conn.execute("DELETE FROM decisions").rowcount
            conn.execute("DELETE FROM sent_keys")
            # Keep delivery ids (for dedupe) but drop their bodies: they hold customer data. Work still queued
            # for the shop is dropped too: running it would store again what was just erased.
            conn.execute("UPDATE deliveries SET body = X'', status = CASE WHEN status = 'dead' THEN status"
                         " ELSE 'done' END, done_at = COALESCE(done_at, received_at)")
            conn.execute("UPDATE dead_letters SET body = X'' ")
        return removed

    def export_customer(self, email: str | None, customer_id: str | None) -> dict[str, Any]:
        customers = []
        if email:
            found = self.get_customer(email)
            if found:
                customers.append(found)
        if customer_id:
            for row in self.db.query("SELECT data FROM customers WHERE customer_id = ?", (customer_id,)):
                state = CustomerState.from_dict(json.loads(row["data"]))
                if all(c.email != state.email for c in customers):
                    customers.append(state)
        sequences: list[dict[str, Any]] = []
        for c in customers:
            sequences.extend(s.to_dict() for s in self.find_sequences(email=c.email))
        steps: list[dict[str, Any]] = []
        for c in customers:
            steps.extend({"flow": r["flow"], "due": r["due_at"], "data": json.loads(r["data"])}
                         for r in self.db.query("SELECT flow, due_at, data FROM steps WHERE email = ?",
                                                (c.email.lower(),)))
        return {"customers": [c.to_dict() for c in customers], "abandoned_cart_sequences": sequences,
                "scheduled_steps": steps}

    def save_export(self, export_id: str, data: dict[str, Any]) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO exports (export_id, created_at, data) VALUES (?, ?, ?)",
                         (export_id, datetime.now().astimezone().isoformat(), json.dumps(data)))

    def get_export(self, export_id: str) -> dict[str, Any] | None:
        rows = self.db.query("SELECT data FROM exports WHERE export_id = ?", (export_id,))
        return json.loads(rows[0]["data"]) if rows else None

    def list_exports(self) -> list[str]:
        return [r["export_id"] for r in self.db.query("SELECT export_id FROM exports ORDER BY created_at")]

    def hold_email(self, email: SendEmail, held_at: datetime) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO held_emails (key, email, held_at, data) VALUES (?, ?, ?, ?)",
                         (email.key, email.to.lower(), _iso(held_at), json.dumps(asdict(email), default=str)))

    def held_emails(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT key, held_at, data FROM held_emails ORDER BY held_at")
        return [{"key": r["key"], "held_at": r["held_at"], **json.loads(r["data"])} for r in rows]

    def release_held(self, key: str) -> SendEmail | None:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT data FROM held_emails WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM held_emails WHERE key = ?", (key,))
        return SendEmail(**json.loads(row["data"]))

    # --- SES feedback: addresses never to mail again ------------------------------------
    def mark_undeliverable(self, email: str, kind: str, detail: str, at: datetime) -> bool:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO undeliverable (customer_ref, kind, detail, at) VALUES (?, ?, ?, ?)",
            (customer_ref(email), kind, detail, _utc_key(at.isoformat())),
        )
        return cursor.rowcount == 1

    def undeliverable(self, email: str) -> str | None:
        rows = self.db.query("SELECT kind, detail FROM undeliverable WHERE customer_ref = ?", (customer_ref(email),))
        return f"{rows[0]['kind']}: {rows[0]['detail']}" if rows else None

    def undeliverable_counts(self, since: datetime) -> dict[str, int]:
        rows = self.db.query("SELECT kind, COUNT(*) AS n FROM undeliverable WHERE at >= ? GROUP BY kind",
                             (_utc_key(since.isoformat()),))
        return {row["kind"]: int(row["n"]) for row in rows}


class SqliteScheduler:
    """Scheduler port: every flow's timed steps in one table, claimed by one atomic statement each."""

    backoff_base = timedelta(seconds=30)

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    def schedule(self, step: ScheduledStep) -> None:
        self.db.execute(
            "INSERT INTO steps (flow, key, due_at, data, email, grp) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(flow, key) DO UPDATE SET due_at = excluded.due_at, data = excluded.data,"
            " email = excluded.email, grp = excluded.grp, status = 'pending', attempts = 0, claim = NULL,"
            " last_error = NULL",
            (step.flow, step.key, _utc_key(step.due), json.dumps(step.data, default=str),
             step.email.lower() if step.email else None, step.group))

    def cancel(self, flow: str, *, group: str | None = None, email: str | None = None) -> int:
        if group is None and email is None:
            raise ValueError("cancel needs a group or an email")
        clauses, params = ["flow = ?", "status = 'pending'"], [flow]
        if group is not None:
            clauses.append("grp = ?")
            params.append(group)
        if email is not None:
            clauses.append("email = ?")
            params.append(email.lower())
        return self.db.execute(f"DELETE FROM steps WHERE {' AND '.join(clauses)}", tuple(params)).rowcount

    def claim_due(self, now: datetime, limit: int = 100, lease: timedelta = timedelta(minutes=5)
                  ) -> list[ScheduledStep]:
        # One statement, so one write transaction: two tickers can never claim the same row. The claim moves
        # the step's due time to the end of its lease, so a runner that dies leaves it due again then.
        token = uuid.uuid4().hex
        rows = self.db.query(
            "UPDATE steps SET claim = ?, attempts = attempts + 1, due_at = ? WHERE rowid IN (SELECT rowid FROM"
            " steps WHERE status = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?)"
            " RETURNING flow, key, due_at, data, email, grp, attempts, claim, last_error",
            (token, _utc_key((now + lease).isoformat()), _utc_key(now.isoformat()), limit))
        return sorted((_step(r) for r in rows), key=lambda s: s.due)

    def complete(self, step: ScheduledStep) -> None:
        self.db.execute("DELETE FROM steps WHERE flow = ? AND key = ? AND claim = ?", (step.flow, step.key,
                                                                                        step.claim))

    def fail(self, step: ScheduledStep, error: str, now: datetime) -> bool:
        dead = step.attempts >= MAX_ATTEMPTS
        delay = self.backoff_base * (2 ** max(step.attempts - 1, 0))
        self.db.execute(
            "UPDATE steps SET status = ?, due_at = ?, claim = NULL, last_error = ? WHERE flow = ? AND key = ?"
            " AND claim = ?",
            ("dead" if dead else "pending", _utc_key((now + delay).isoformat()), error[:4000], step.flow, step.key,
             step.claim))
        return dead

    def pending_steps(self, flow: str | None = None) -> list[ScheduledStep]:
        sql = "SELECT * FROM steps WHERE status = 'pending'" + (" AND flow = ?" if flow else "") + " ORDER BY due_at"
        return [_step(r) for r in self.db.query(sql, (flow,) if flow else ())]

    def dead_steps(self) -> list[ScheduledStep]:
        return [_step(r) for r in self.db.query("SELECT * FROM steps WHERE status = 'dead' ORDER BY due_at")]

    def discard_dead_step(self, flow: str, key: str) -> bool:
        return self.db.execute("DELETE FROM steps WHERE flow = ? AND key = ? AND status = 'dead'",
                               (flow, key)).rowcount == 1

    def retry_dead_step(self, flow: str, key: str, now: datetime) -> bool:
        return self.db.execute("UPDATE steps SET status = 'pending', attempts = 0, due_at = ?, claim = NULL"
                               " WHERE flow = ? AND key = ? AND status = 'dead'",
                               (_utc_key(now.isoformat()), flow, key)).rowcount == 1


def _step(row: sqlite3.Row) -> ScheduledStep:
    return ScheduledStep(flow=row["flow"], key=row["key"], due=row["due_at"], data=json.loads(row["data"]),
                         email=row["email"], group=row["grp"], attempts=int(row["attempts"]), claim=row["claim"],
                         last_error=row["last_error"])


class SqliteDecisionLog:
    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    def record(self, entry: dict[str, Any]) -> None:
        sql = "INSERT INTO decisions (at, customer_ref, entry) VALUES (?, ?, ?)"
        if entry.get("outcome") not in ("sent", "alerted"):  # one statement: autocommit, no BEGIN/COMMIT
            self.db.execute(sql, (entry.get("at", ""), entry.get("customer_ref"), json.dumps(entry, default=str)))
            return
        with self.db.transaction() as conn:
            entry = _mark_repeat(conn, entry)
            conn.execute(sql, (entry.get("at", ""), entry.get("customer_ref"), json.dumps(entry, default=str)))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT entry FROM (SELECT seq, entry FROM decisions ORDER BY seq DESC LIMIT ?)"
                             " ORDER BY seq", (limit,))
        return [json.loads(r["entry"]) for r in rows]


def _mark_repeat(conn: sqlite3.Connection, entry: dict[str, Any]) -> dict[str, Any]:
    """An email or alert whose key went out before was a no-op (the mailer and alerter are idempotent by key):
    log it as a duplicate, not a second "sent"."""
    outcome, key = entry.get("outcome"), entry.get("key")
    if outcome not in ("sent", "alerted") or not key:
        return entry
    key_hash = hashlib.sha256(f"{outcome}:{key}".encode()).hexdigest()
    cur = conn.execute("INSERT OR IGNORE INTO sent_keys (key_hash, first_at, customer_ref) VALUES (?, ?, ?)",
                       (key_hash, str(entry.get("at", "")), entry.get("customer_ref")))
    if cur.rowcount == 1:
        return entry
    return {**entry, "outcome": "duplicate", "repeat_of": outcome,
            "reason": f"{entry.get('reason', '')} (a repeat: already {outcome} once, nothing went out again)"}


def worker_id() -> str:
    """Who holds a lease: this machine and process."""
    return f"{socket.gethostname()}/{os.getpid()}"


def _utc_key(iso: str | None) -> str | None:
    """Due times compare as text, so store them in UTC with a fixed format."""
    if iso is None:
        return None
    dt = datetime.fromisoformat(iso)
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime in a due time: {iso}")
    from datetime import UTC

    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
