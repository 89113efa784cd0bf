"""The local delivery path under crashes, races and volume: queue leases, outbox, alerts, decision log, files."""

from __future__ import annotations

import json
import os
import secrets as stdlib_secrets
import socket
import stat
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.local import outbox as outbox_module
from chalicelib.adapters.local.alerts import FileAlerts
from chalicelib.adapters.local.outbox import FileOutbox, key_filename
from chalicelib.adapters.local.secrets import EnvSecrets
from chalicelib.bootstrap import Services
from chalicelib.ports import Delivery, OutgoingEmail, OwnerAlertMessage
from tests.conftest import Clock, shared_bytes
from tests.functional.helpers import client_for, outbox, post_shopify, privacy_body


def email(key: str = "thanks:1") -> OutgoingEmail:
    return OutgoingEmail(key=key, to="sam@example.com", from_email="hello@shop.example", from_name="Shop",
                         subject="Thank you", text="Thanks for your order.", kind="service")


def alert(key: str) -> OwnerAlertMessage:
    return OwnerAlertMessage(key=key, level="watch", short_text="s", long_text="l", review_url="")


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- outbox -------------------------------------------------------------------------------------------------------
def test_many_senders_of_one_key_write_one_file_and_agree_on_its_message_id(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = outbox_module.make_msgid  # type: ignore[attr-defined]

    def slow_msgid(*args: Any, **kwargs: Any) -> str:
        time.sleep(0.05)  # every sender is past the "already sent?" check before any has written
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox_module, "make_msgid", slow_msgid)
    box = FileOutbox(tmp_path / "outbox")
    ids: list[str] = []
    start = threading.Barrier(8)

    def send() -> None:
        start.wait()
        ids.append(box.send(email()))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(box.messages()) == 1 and len(set(ids)) == 1
    assert ids[0] in (tmp_path / "outbox" / key_filename("thanks:1")).read_text()
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [key_filename("thanks:1")]  # no temp left


def test_start_up_removes_temp_files_of_gone_writers_and_torn_emails(tmp_path: Path) -> None:
    box = FileOutbox(tmp_path / "outbox")
    box.send(email("kept"))
    folder = tmp_path / "outbox"
    (folder / f".sending-{dead_pid()}-abc.tmp").write_bytes(b"half an email")
    live = folder / f".sending-{os.getpid()}-def.tmp"  # a send in progress in a live process: left alone
    live.write_bytes(b"being written")
    (folder / key_filename("torn")).write_bytes(b"From: a@b.c\nTo: d@e.f\nSubj")  # cut by a power failure
    (folder / key_filename("empty")).write_bytes(b"")
    assert box.recover() == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted([live.name, key_filename("kept")])
    assert box.send(email("torn")) and len(box.messages()) == 2  # what was torn is sent again


# --- alerts -------------------------------------------------------------------------------------------------------
def test_alerts_append_without_reading_the_whole_file_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alerts = FileAlerts(tmp_path / "alerts.jsonl")
    for i in range(300):
        alerts.alert(alert(f"k{i}"))
    parsed = []
    real_loads = json.loads

    def counting(text: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(text)
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)  # the module alerts.py reads lines with
    alerts.alert(alert("k300"))
    alerts.alert(alert("k5"))  # a repeat: still found without reading the file
    assert len(parsed) == 0
    monkeypatch.undo()
    assert len(alerts.entries()) == 301


def test_two_alerters_on_one_file_never_write_a_key_twice(tmp_path: Path) -> None:
    first, second = FileAlerts(tmp_path / "alerts.jsonl"), FileAlerts(tmp_path / "alerts.jsonl")
    first.alert(alert("a"))
    second.alert(alert("a"))  # another process (warmline tick) sees what serve appended
    second.alert(alert("b"))
    first.alert(alert("b"))
    assert [e["key"] for e in first.entries()] == ["a", "b"]
    assert first.forget("*") == 2
    first.alert(alert("a"))  # after a rewrite the index is read again
    second.alert(alert("a"))
    assert [e["key"] for e in second.entries()] == ["a"]


# --- queue: leases and crash recovery ------------------------------------------------------------------------------
def test_a_batch_held_by_a_dead_worker_is_taken_at_once_not_after_the_lease(services: Services, clock: Clock) -> None:
    queue = services.extras["queue"]
    body = shared_bytes("shopify/customers_create.json")
    queue.accept(Delivery("d-1", "shopify", "customers/create", body, clock(), shop="rosies-bakery.myshopify.com"))
    (held,) = queue.claim(clock(), owner=f"{socket.gethostname()}/{dead_pid()}")  # then kill -9
    assert held.delivery_id == "d-1"
    clock.advance(seconds=1)
    report = services.extras["runner"].run_once()
    assert report.processed == 1 and queue.counts() == {"done": 1}


def test_a_live_worker_keeps_its_batch_and_extends_its_lease(services: Services, clock: Clock) -> None:
    queue = services.extras["queue"]
    body = shared_bytes("shopify/customers_create.json")
    queue.accept(Delivery("d-2", "shopify", "customers/create", body, clock()))
    me = f"{socket.gethostname()}/{os.getpid()}"
    queue.claim(clock(), owner=me)
    assert queue.lease <= timedelta(minutes=1)  # a worker that hangs is replaced within a minute
    clock.advance(seconds=50)
    assert queue.extend(["d-2"], clock(), owner=me) == 1  # heartbeat
    clock.advance(seconds=50)
    assert queue.claim(clock(), owner="other/1") == []  # 100 s after the claim: still held
    clock.advance(seconds=11)
    assert [d.delivery_id for d in queue.claim(clock(), owner="other/1")] == ["d-2"]


def test_the_pending_work_query_uses_partial_indexes(services: Services) -> None:
    conn = services.extras["db"]._connect()
    plans = [" ".join(str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ("x", 1)))
             for sql in ("SELECT * FROM deliveries WHERE status = 'queued' AND next_attempt_at <= ?"
                         " ORDER BY next_attempt_at LIMIT ?",
                         "SELECT * FROM deliveries WHERE status = 'running' AND lease_until <= ?"
                         " ORDER BY lease_until LIMIT ?")]
    assert "USING INDEX deliveries_queued" in plans[0] and "USING INDEX deliveries_running" in plans[1]
    sql = {r["name"]: r["sql"] for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")}
    assert "WHERE status = 'queued'" in sql["deliveries_queued"]  # done rows are not in it


# --- decision log ---------------------------------------------------------------------------------------------------
def test_a_repeat_of_a_delivery_is_logged_as_a_duplicate_not_a_second_send(services: Services) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(email="john@example.com", cancelled_at=None)
    body = json.dumps(order).encode()
    with client_for(services) as client:
        for _ in range(3):  # the same order paid webhook, re-sent under new webhook ids
            assert post_shopify(client, body, "orders/paid").status_code == 200
    services.extras["runner"].run_once()
    sends = [e for e in services.log.recent() if e["decision"] == "SendEmail"]
    assert len(outbox(services)) == 1
    assert [e["outcome"] for e in sends] == ["sent", "duplicate", "duplicate"]
    assert len({e["key"] for e in sends}) == 1


def test_after_a_redact_a_repeat_is_a_real_send_again_and_logged_as_one(services: Services) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(email="john@example.com", cancelled_at=None)
    body = json.dumps(order).encode()
    with client_for(services) as client:
        post_shopify(client, body, "orders/paid")
    services.extras["runner"].run_once()
    with client_for(services) as client:
        post_shopify(client, privacy_body("customers_redact.json"), "customers/redact")
    services.extras["runner"].run_once()
    assert outbox(services) == []  # the redact took the stored copy away with the customer
    with client_for(services) as client:
        post_shopify(client, body, "orders/paid")
    services.extras["runner"].run_once()
    sends = [e for e in services.log.recent() if e["decision"] == "SendEmail"]
    assert len(outbox(services)) == 1 and [e["outcome"] for e in sends] == ["sent"]


# --- files ------------------------------------------------------------------------------------------------------------
def test_tickers_that_make_the_same_secret_at_once_all_keep_one_value(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Two tickers over one data dir sign their first email's links at the same moment: had each made its own
    # link key, the loser's links would never verify (and a shared temp file failed the loser's step).
    real = stdlib_secrets.token_urlsafe

    def slow_token(nbytes: int | None = None) -> str:
        time.sleep(0.05)  # every maker is past the "already kept?" check before any has written
        return real(nbytes)

    monkeypatch.setattr(stdlib_secrets, "token_urlsafe", slow_token)
    refs = {"link_signing_key": {"env": "WARMLINE_LINK_KEY"}}
    makers = [EnvSecrets(refs, {}, tmp_path / "data") for _ in range(6)]  # one per process sharing the dir
    values: list[str] = []
    start = threading.Barrier(len(makers))

    def make(maker: EnvSecrets) -> None:
        start.wait()
        values.append(maker.get("link_signing_key"))

    threads = [threading.Thread(target=make, args=(m,)) for m in makers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept = json.loads((tmp_path / "data" / "secrets.json").read_text())
    assert len(values) == len(makers) and set(values) == {kept["link_signing_key"]}
    assert stat.S_IMODE((tmp_path / "data" / "secrets.json").stat().st_mode) == 0o600


def test_the_data_directory_is_private(services: Services) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(email="john@example.com", cancelled_at=None)
    with client_for(services) as client:
        post_shopify(client, json.dumps(order).encode(), "orders/paid")
    services.extras["runner"].run_once()
    services.extras["alerts"].alert(alert("perm"))
    data_dir = services.data_dir
    assert data_dir is not None

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data_dir) == 0o700 and mode(data_dir / "outbox") == 0o700
    assert mode(data_dir / "warmline.db") == 0o600 and mode(data_dir / "alerts.jsonl") == 0o600
    assert all(mode(p) == 0o600 for p in (data_dir / "outbox").iterdir())
    assert all(mode(p) == 0o600 for p in data_dir.iterdir() if p.name.startswith("warmline.db"))
