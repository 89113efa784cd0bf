"""Soak: a real `warmline serve` under the faults a busy shop meets. Part of `make soak` (never `make test`).

Each scenario prints requests, accepted, 5xx, lost and doubled, and the script exits 1 if anything was lost or
doubled or answered 500. Traffic goes only to 127.0.0.1; every scenario is bounded in count and in time.

  duplicate storm   100 paid orders, each delivered 10 times (5 with the same webhook id, 5 re-sent under new
                    ids) by 16 concurrent senders: one thank-you per order
  kill -9 burst     500 paid orders while serve is killed with SIGKILL 5 times and restarted; senders retry
                    what got no answer, as Shopify does: every order thanked once
  two tickers       300 abandoned checkouts whose first reminder is due, swept at once by serve's ticker and
                    by `warmline tick` run in a loop beside it: one reminder each
  full disk         the data directory on a small tmpfs (needs root to mount), filled up during a burst:
                    intake answers 503 (never 500) and, once space is back, everything accepted is processed

lost    = an order or checkout with no email in the outbox at the end
doubled = a key logged "sent" twice, or an outbox file whose Message-ID is not the one logged (sent again)
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # bench/load.py: payloads, raw HTTP client, server helpers

ROOT = load.ROOT
SENDERS = 16


# --- a real server, killable -----------------------------------------------------------------------------------
class Serve:
    def __init__(self, data_dir: Path, config: Path, log_dir: Path) -> None:
        self.data_dir = data_dir
        self.config = config
        self.log_dir = log_dir
        self.port = load.free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = (self.log_dir / f"serve-{self.data_dir.name}-{self.starts}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "chalicelib.cli", "serve", "--config", str(self.config), "--data-dir",
             str(self.data_dir), "--port", str(self.port), "--tick-seconds", "0.3", "--no-access-log"],
            cwd=ROOT, env=load.server_env(self.data_dir, self.config), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        load.wait_listening(self.port, self.proc)

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            load.stop_server(self.proc)


def tick(data_dir: Path, config: Path) -> int:
    return subprocess.run([sys.executable, "-m", "chalicelib.cli", "tick", "--config", str(config), "--data-dir",
                           str(data_dir)], cwd=ROOT, env=load.server_env(data_dir, config), capture_output=True,
                          timeout=120).returncode


# --- payloads --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Webhook:
    webhook_id: str
    topic: str
    body: bytes
    signature: str
    expects: str  # what must end up in the outbox: a key, or a text the key contains


def paid_orders(n: int) -> list[Webhook]:
    base: dict[str, Any] = json.loads((load.SHARED / "shopify" / "orders_create.json").read_text())
    now = datetime.now(UTC).isoformat()
    out = []
    for i in range(n):
        order_id = random.randrange(10**12, 10**13)
        email = f"soak-{order_id}@example.com"
        order = {**base, "id": order_id, "email": email, "contact_email": email, "test": False,
                 "cancelled_at": None, "cancel_reason": None, "financial_status": "paid", "created_at": now,
                 "processed_at": now, "name": f"#{9000 + i}", "checkout_token": None, "cart_token": None,
                 "customer": {**base.get("customer", {}), "id": order_id + 1, "email": email}}
        body = json.dumps(order).encode()
        out.append(Webhook(str(uuid.uuid4()), "orders/paid", body, sign(body), f"thanks:{order_id}"))
    return out


def due_checkouts(n: int) -> list[Webhook]:
    three_hours_ago = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    out = []
    for _topic, body, signature in load.bodies(n):
        data = json.loads(body)
        data.update(created_at=three_hours_ago, updated_at=three_hours_ago)
        raw = json.dumps(data, separators=(",", ":")).encode()
        out.append(Webhook(str(uuid.uuid4()), "checkouts/create", raw, sign(raw), f"cart:{data['token']}"))
        del signature
    return out


def sign(body: bytes) -> str:
    import base64
    import hashlib
    import hmac

    return base64.b64encode(hmac.new(load.SECRET.encode(), body, hashlib.sha256).digest()).decode()


def raw_request(hook: Webhook) -> bytes:
    head = (f"POST /webhooks/shopify HTTP/1.1\r\nHost: {load.HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(hook.body)}\r\nX-Shopify-Topic: {hook.topic}\r\n"
            f"X-Shopify-Hmac-Sha256: {hook.signature}\r\nX-Shopify-Shop-Domain: {load.SHOP}\r\n"
            f"X-Shopify-Webhook-Id: {hook.webhook_id}\r\nConnection: close\r\n\r\n")
    return head.encode() + hook.body


# --- senders that retry like Shopify ----------------------------------------------------------------------------
@dataclass
class Tally:
    requests: int = 0
    accepted: int = 0  # 200: accepted or duplicate
    statuses: Counter[int] = field(default_factory=Counter)
    no_answer: int = 0  # connection refused/reset: the server was down
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 and status != 503)


def post_once(port: Callable[[], int], hook: Webhook) -> int:
    import socket

    with socket.create_connection((load.HOST, port()), timeout=30) as sock:
        sock.sendall(raw_request(hook))
        status, _keep = load._read_response(sock, bytearray())
        return status


def send_all(port: Callable[[], int], hooks: list[Webhook], tally: Tally, seconds: float) -> None:
    """16 senders; each webhook is retried (connection error, 5xx) until it gets a 200 or time runs out."""
    deadline = time.monotonic() + seconds
    work = list(hooks)
    lock = threading.Lock()

    def sender() -> None:
        while True:
            with lock:
                if not work:
                    return
                hook = work.pop()
            while True:
                try:
                    status = post_once(port, hook)
                except OSError:
                    status = -1
                with tally.lock:
                    tally.requests += 1
                    if status == -1:
                        tally.no_answer += 1
                    else:
                        tally.statuses[status] += 1
                    if status == 200:
                        tally.accepted += 1
                if status == 200 or 400 <= status < 500:
                    break
                if time.monotonic() > deadline:
                    with tally.lock:
                        tally.gave_up += 1
                    break
                time.sleep(0.05)

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# --- what happened ---------------------------------------------------------------------------------------------
def db_rows(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{data_dir / 'warmline.db'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def pending(data_dir: Path) -> int:
    return int(db_rows(data_dir, "SELECT COUNT(*) FROM deliveries WHERE status IN ('queued', 'running')")[0][0])


def outbox_keys(data_dir: Path) -> dict[str, str]:
    """key -> Message-ID of every email in the outbox."""
    out = {}
    for path in (data_dir / "outbox").glob("*.eml"):
        msg = message_from_bytes(path.read_bytes())
        out[str(msg["X-Warmline-Key"])] = str(msg["Message-ID"])
    return out


def wait_drained(data_dir: Path, hooks: list[Webhook], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        keys = outbox_keys(data_dir)
        if pending(data_dir) == 0 and all(any(h.expects in k for k in keys) for h in hooks):
            return
        time.sleep(0.5)


def verdict(name: str, data_dir: Path, hooks: list[Webhook], tally: Tally, extra: str = "") -> bool:
    keys = outbox_keys(data_dir)
    expected = {h.expects for h in hooks}
    lost = sum(1 for e in expected if not any(e in k for k in keys))
    sent: dict[str, list[str]] = {}
    repeats = 0
    for (entry,) in db_rows(data_dir, "SELECT entry FROM decisions"):
        record = json.loads(entry)
        if record.get("decision") != "SendEmail":
            continue
        if record.get("outcome") == "sent":
            sent.setdefault(str(record.get("key")), []).append(str(record.get("message_id")))
        elif record.get("outcome") == "duplicate":
            repeats += 1
    doubled = sum(1 for ids in sent.values() if len(ids) > 1)
    doubled += sum(1 for key, ids in sent.items() if key in keys and keys[key] not in ids)  # file replaced
    dead = int(db_rows(data_dir, "SELECT COUNT(*) FROM dead_letters")[0][0])
    five = tally.server_errors
    print(f"{name:16} {tally.requests:6} requests  {tally.accepted:6} accepted  {five} 5xx  {lost} lost  "
          f"{doubled} doubled  ({len(expected)} expected emails, {len(keys)} in the outbox, {repeats} repeats "
          f"logged as duplicates, {tally.statuses.get(503, 0)} answered 503, {tally.no_answer} unanswered while "
          f"down, {tally.gave_up} given up, {dead} dead letters{extra})", flush=True)
    return lost == 0 and doubled == 0 and five == 0 and tally.gave_up == 0 and dead == 0


# --- scenarios -------------------------------------------------------------------------------------------------
def duplicate_storm(tmp: Path, config: Path) -> bool:
    server = Serve(tmp / "storm", config, tmp)
    server.start()
    try:
        orders = paid_orders(100)
        storm = []
        for hook in orders:
            storm += [hook] * 5  # the same delivery again (Shopify retrying)
            storm += [Webhook(str(uuid.uuid4()), hook.topic, hook.body, hook.signature, hook.expects)
                      for _ in range(5)]  # the same order under new webhook ids
        random.shuffle(storm)
        tally = Tally()
        send_all(lambda: server.port, storm, tally, 120)
        wait_drained(server.data_dir, orders, 120)
        return verdict("duplicate storm", server.data_dir, orders, tally)
    finally:
        server.stop()


def kill_burst(tmp: Path, config: Path, kills: int = 5) -> bool:
    server = Serve(tmp / "kill", config, tmp)
    server.start()
    killed = 0

    def killer() -> None:  # all the kills happen, during the burst or during the drain after it
        nonlocal killed
        while killed < kills:
            time.sleep(random.uniform(0.3, 1.0))
            server.kill9()
            killed += 1
            server.start()

    try:
        orders = paid_orders(500)
        tally = Tally()
        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        send_all(lambda: server.port, orders, tally, 180)
        thread.join()
        wait_drained(server.data_dir, orders, 180)
        return verdict("kill -9 burst", server.data_dir, orders, tally, f", {killed} kill -9s")
    finally:
        server.stop()


def two_tickers(tmp: Path, config: Path) -> bool:
    server = Serve(tmp / "tickers", config, tmp)
    server.start()
    stop = threading.Event()
    ticks = Counter[int]()

    def ticker_loop() -> None:
        while not stop.is_set():
            ticks[tick(server.data_dir, config)] += 1

    try:
        checkouts = due_checkouts(300)
        loops = [threading.Thread(target=ticker_loop) for _ in range(2)]
        for loop in loops:
            loop.start()
        tally = Tally()
        for part in range(3):  # in three waves, so the tickers meet fresh due reminders more than once
            send_all(lambda: server.port, checkouts[part::3], tally, 120)
            time.sleep(2)
        wait_drained(server.data_dir, checkouts, 120)
        stop.set()
        for loop in loops:
            loop.join()
        extra = f", {sum(ticks.values())} `warmline tick` runs beside serve's ticker ({ticks.get(0, 0)} exit 0)"
        return verdict("two tickers", server.data_dir, checkouts, tally, extra)
    finally:
        stop.set()
        server.stop()


def full_disk(tmp: Path, config: Path) -> bool:
    mount = tmp / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        print("full disk        not run: mounting a small tmpfs needs root (run `sudo make soak` to include it)")
        return True
    try:
        server = Serve(mount / "data", config, tmp)
        server.start()
        filler = mount / "filler"
        try:
            with filler.open("wb", buffering=0) as handle:  # fill to the last byte; unbuffered, so close cannot fail
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                        handle.flush()
                except OSError:
                    pass
            orders = paid_orders(200)
            tally = Tally()

            def free_space_later() -> None:
                time.sleep(4)
                filler.unlink()

            freer = threading.Thread(target=free_space_later)
            freer.start()
            send_all(lambda: server.port, orders, tally, 120)
            freer.join()
            wait_drained(server.data_dir, orders, 300)
            return verdict("full disk", server.data_dir, orders, tally)
        finally:
            server.stop()
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def main() -> None:
    if not (load.SHARED / "shopify" / "orders_create.json").is_file():
        sys.exit(f"the shared fixtures are missing: expected {load.SHARED}")
    tmp = Path(tempfile.mkdtemp(prefix="warmline-soak-"))
    config = load.bench_config(tmp)
    print(f"Warmline soak ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}); logs in {tmp}", flush=True)
    ok = True
    for scenario in (duplicate_storm, kill_burst, two_tickers, full_disk):
        started = time.monotonic()
        try:
            passed = scenario(tmp, config)
        except Exception as exc:  # one scenario's failure is reported; the others still run
            print(f"{scenario.__name__}: could not finish: {type(exc).__name__}: {exc}", flush=True)
            passed = False
        ok = ok and passed
        print(f"{'':16} ({time.monotonic() - started:.0f} s)", flush=True)
    print("soak: all scenarios clean" if ok else "soak: FAILED (see the figures above)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
