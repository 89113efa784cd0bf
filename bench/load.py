"""Load benchmark: `warmline serve` under 16 clients, beside a floor measured in the same run; worker drain rate.

Prints figures; asserts nothing about time (shared, noisy machines). Run: .venv/bin/python bench/load.py
  intake ka    accepted/s, p50, p99 with 16 keep-alive clients against a real `warmline serve` (one process:
               the HTTP threads and its ticker, as a shop runs it)
  intake new   the same with a new connection per request
  worker idle  the same two with serve's worker process asleep: intake alone, as the floor is
  floor        the same server software (waitress, same settings) serving a minimal WSGI app that only checks
               the HMAC, parses the JSON and inserts one SQLite row (WAL, synchronous=NORMAL)
  drain        the worker (LocalRunner.run_once) draining N queued Shopify deliveries in process, with 1k and with
               200k delivery rows already stored (done rows, as after a busy week within the dedupe window)
  --compare    also serve both apps with gunicorn (gthread) and granian if installed (how the server was chosen)

Traffic goes only to 127.0.0.1; every phase is bounded in count (--requests) and in time (--seconds).
Goals (issue 11, 2-core machine): intake >= 1,000 accepted/s and >= 0.5x the floor, p99 <= 50 ms;
drain >= 500 deliveries/s and flat from 1k to 200k stored rows.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import multiprocessing
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "fixtures"
SECRET = "load-bench-secret"
SHOP = "rosies-bakery.myshopify.com"
HOST = "127.0.0.1"
CLIENTS = 16
PROCESSES = 2  # client processes (each with CLIENTS / PROCESSES threads): one Python process can't drive 16


# --- payloads ----------------------------------------------------------------------------------------------------
def fixture() -> dict[str, Any]:
    path = SHARED / "shopify" / "checkouts_create.json"
    if not path.is_file():
        sys.exit(f"the shared fixtures are missing: expected {path}")
    data: dict[str, Any] = json.loads(path.read_text())
    data["line_items"] = data["line_items"][:1]
    data["line_items"][0].pop("tax_lines", None)
    return data


def bodies(n: int, topic: str = "checkouts/create") -> list[tuple[str, bytes, str]]:
    """n distinct signed checkouts (distinct customers and tokens): (topic, body, signature)."""
    base = fixture()
    now = datetime.now(UTC).isoformat()
    out = []
    for i in range(n):
        token = uuid.uuid4().hex
        data = {**base, "token": token, "cart_token": f"cart-{token}", "id": 10_000_000 + i,
                "email": f"load-{i}-{token[:6]}@example.com", "created_at": now, "updated_at": now}
        body = json.dumps(data, separators=(",", ":")).encode()
        signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
        out.append((topic, body, signature))
    return out


def drain_mix(n: int) -> list[tuple[str, str, bytes]]:
    """n distinct deliveries as the worker meets them on a busy day: (source, topic, body), a third each of
    checkouts/create (a reminder sequence), orders/paid (a thank-you email) and
    inbound customer emails (a sentiment reading, an acknowledgement, an owner alert when upset)."""
    order_base: dict[str, Any] = json.loads((SHARED / "shopify" / "orders_create.json").read_text())
    email_base: dict[str, Any] = json.loads(
        (SHARED / "email" / "postmark" / "postmark-inbound-test-payload.json").read_text())
    feelings = ["This is terrible. My cake arrived smashed and three days late, I am furious and want a refund.",
                "Thank you, the cake was perfect!", "Can I change the delivery address for my order?"]
    now = datetime.now(UTC).isoformat()
    out: list[tuple[str, str, bytes]] = []
    checkouts = bodies(n // 3 + 1)
    for i in range(n):
        token = uuid.uuid4().hex
        email = f"drain-{i}-{token[:6]}@example.com"
        if i % 3 == 0:
            out.append(("shopify", "checkouts/create", checkouts[i // 3][1]))
        elif i % 3 == 1:
            order = {**order_base, "id": 20_000_000 + i, "email": email, "contact_email": email, "test": False,
                     "cancelled_at": None, "cancel_reason": None, "financial_status": "paid",
                     "created_at": now, "processed_at": now, "updated_at": now,
                     "checkout_token": token, "cart_token": f"cart-{token}", "name": f"#{5000 + i}",
                     "customer": {**order_base.get("customer", {}), "id": 30_000_000 + i, "email": email}}
            out.append(("shopify", "orders/paid", json.dumps(order).encode()))
        else:
            feeling = feelings[(i // 3) % len(feelings)]  # upset, happy, asking: in turn
            mail = {**email_base, "MessageID": f"drain-{token}", "From": email,
                    "FromFull": {"Email": email, "Name": "Sam", "MailboxHash": ""}, "FromName": "Sam",
                    "TextBody": feeling, "StrippedTextReply": feeling,
                    "Subject": "My order", "ReplyTo": "", "Headers": [], "Date": format_datetime(datetime.now(UTC))}
            out.append(("email", "inbound", json.dumps(mail).encode()))
    return out


def request_bytes(topic: str, body: bytes, signature: str, keep_alive: bool) -> bytes:
    head = (f"POST /webhooks/shopify HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Shopify-Topic: {topic}\r\nX-Shopify-Hmac-Sha256: {signature}\r\n"
            f"X-Shopify-Shop-Domain: {SHOP}\r\nX-Shopify-Webhook-Id: {uuid.uuid4()}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n")
    return head.encode() + body


# --- the client: raw sockets, so the client costs as little CPU as possible --------------------------------------
def _read_response(sock: socket.socket, buffer: bytearray) -> tuple[int, bool]:
    """Read one HTTP response; returns (status, server keeps the connection)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response")
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    close = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
            close = True
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed mid-body")
        rest += chunk
    del buffer[:]
    buffer += rest[length:]
    return status, not close


def _client_thread(port: int, requests: list[bytes], keep_alive: bool, deadline: float,
                   results: list[tuple[int, float]]) -> None:
    sock: socket.socket | None = None
    buffer = bytearray()
    for raw in requests:
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        try:
            if sock is None:
                sock = socket.create_connection((HOST, port), timeout=30)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(raw)
            status, keep = _read_response(sock, buffer)
        except OSError:
            status, keep = -1, False
        results.append((status, time.perf_counter() - start))
        if not (keep_alive and keep) and sock is not None:
            sock.close()
            sock = None
            buffer.clear()
    if sock is not None:
        sock.close()


def _client_process(port: int, requests: list[bytes], threads: int, keep_alive: bool, seconds: float,
                    queue: Any) -> None:
    deadline = time.monotonic() + seconds
    results: list[tuple[int, float]] = []
    share = [requests[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=_client_thread, args=(port, part, keep_alive, deadline, results))
               for part in share]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(results)


@dataclass
class LoadResult:
    sent: int
    accepted: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0

    def line(self, name: str) -> str:
        return (f"{name:34} {self.rate:8.0f}/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
                f"max {self.max_ms:7.1f} ms  ({self.accepted} accepted, {self.errors} errors of {self.sent})")


def load(port: int, payloads: list[tuple[str, bytes, str]], keep_alive: bool, seconds: float) -> LoadResult:
    raw = [request_bytes(t, b, s, keep_alive) for t, b, s in payloads]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_client_process,
                         args=(port, raw[i::PROCESSES], CLIENTS // PROCESSES, keep_alive, seconds, queue))
             for i in range(PROCESSES)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results: list[tuple[int, float]] = []
    for _ in procs:
        results += queue.get(timeout=seconds + 120)
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    latencies = sorted(ms for _status, ms in results) or [0.0]
    accepted = sum(1 for status, _ in results if status == 200)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, round(q * (len(latencies) - 1)))] * 1000

    return LoadResult(len(results), accepted, len(results) - accepted, elapsed, pct(0.5), pct(0.99),
                      latencies[-1] * 1000)


# --- the floor app -----------------------------------------------------------------------------------------------
def floor_app(db_path: str, secret: str = SECRET) -> Callable[..., Iterable[bytes]]:
    """The least a webhook server must do: check the HMAC, parse the JSON, insert one SQLite row."""
    local = threading.local()
    key = secret.encode()
    with sqlite3.connect(db_path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE IF NOT EXISTS d (id TEXT PRIMARY KEY, body BLOB)")

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA synchronous=NORMAL")
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        expected = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(expected, environ.get("HTTP_X_SHOPIFY_HMAC_SHA256", "")):
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b'{"error": "bad signature"}']
        json.loads(body)
        conn.execute("INSERT OR IGNORE INTO d VALUES (?, ?)", (environ.get("HTTP_X_SHOPIFY_WEBHOOK_ID"), body))
        out = b'{"status": "accepted"}'
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]

    return app


def floor_factory() -> Callable[..., Iterable[bytes]]:
    return floor_app(os.environ["LOAD_FLOOR_DB"])


def warmline_factory() -> Callable[..., Iterable[bytes]]:
    """The Warmline app as WSGI without `warmline serve` (for gunicorn/granian in --compare)."""
    import app as app_module
    from chalicelib.adapters.local.http import ChaliceWSGI
    from chalicelib.bootstrap import build
    from chalicelib.config.loader import load as load_config

    config = load_config(os.environ["LOAD_CONFIG"])
    services = build(config, mode="local", data_dir=os.environ["LOAD_DATA_DIR"], environ=dict(os.environ),
                     echo=lambda _t: None)
    app_module.use(services)
    return ChaliceWSGI(app_module.app)


# --- servers -----------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def server_env(data_dir: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLINE_")}
    env.update(WARMLINE_SHOPIFY_SECRET=SECRET, WARMLINE_STRIPE_SECRET="whsec_load", WARMLINE_EMAIL_TOKEN="load-t",
               LOAD_FLOOR_DB=str(data_dir / "floor.db"), LOAD_CONFIG=str(config), LOAD_DATA_DIR=str(data_dir),
               PYTHONPATH=str(ROOT))
    return env


def start_server(kind: str, app: str, port: int, data_dir: Path, config: Path) -> subprocess.Popen[bytes]:
    env = server_env(data_dir, config)
    venv_bin = Path(sys.executable).parent
    if kind == "waitress" and app in ("warmline", "warmline-idle"):
        # warmline-idle: the worker process only wakes after the run (intake alone, the floor's like)
        tick = "3600" if app == "warmline-idle" else "1"
        cmd = [sys.executable, "-m", "chalicelib.cli", "serve", "--config", str(config), "--data-dir",
               str(data_dir), "--port", str(port), "--no-access-log", "--tick-seconds", tick]
    elif kind == "waitress":
        cmd = [sys.executable, "-c", "import sys; sys.path.insert(0, 'bench'); import load; "
               "from chalicelib.adapters.local import http; from waitress import serve; "
               f"serve(load.floor_factory(), host='{HOST}', port={port}, threads=http.THREADS, "
               "backlog=http.BACKLOG, channel_timeout=http.CHANNEL_TIMEOUT, "
               "connection_limit=http.CONNECTION_LIMIT, _quiet=True)"]
    elif kind == "gunicorn":
        target = "load:floor_factory()" if app == "floor" else "load:warmline_factory()"
        cmd = [str(venv_bin / "gunicorn"), "--chdir", str(ROOT / "bench"), "-k", "gthread", "-w", "1",
               "--threads", "8", "--backlog", "1024", "-b", f"{HOST}:{port}", "--log-level", "warning", target]
    elif kind == "granian":
        target = "load:floor_factory" if app == "floor" else "load:warmline_factory"
        cmd = [str(venv_bin / "granian"), "--interface", "wsgi", "--factory", "--workers", "1",
               "--blocking-threads", "8", "--backlog", "1024", "--host", HOST, "--port", str(port),
               "--log-level", "warning", "--working-dir", str(ROOT / "bench"), target]
    else:
        raise ValueError(kind)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait_listening(port, proc)
    return proc


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def bench_config(tmp: Path) -> Path:
    """The example config without quiet hours (wall-clock time must not change what the worker does)."""
    data = json.loads((ROOT / "examples" / "bakery.json").read_text())
    data["quiet_hours"] = None
    path = tmp / "config.json"
    path.write_text(json.dumps(data))
    return path


def sequential(port: int, payloads: list[tuple[str, bytes, str]]) -> LoadResult:
    """One client, one keep-alive connection, one request after another."""
    results: list[tuple[int, float]] = []
    raw = [request_bytes(t, b, sig, True) for t, b, sig in payloads]
    start = time.perf_counter()
    _client_thread(port, raw, True, time.monotonic() + 60, results)
    latencies = sorted(ms for _s, ms in results) or [0.0]
    accepted = sum(1 for status, _ in results if status == 200)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, round(q * (len(latencies) - 1)))] * 1000

    return LoadResult(len(results), accepted, len(results) - accepted, time.perf_counter() - start, pct(0.5),
                      pct(0.99), latencies[-1] * 1000)


def stall_check(port: int, stalled: int = 50, wait: float = 5.0) -> str:
    """Open `stalled` connections that send headers and half a body, then stop; does /health still answer?"""
    socks = []
    try:
        for _ in range(stalled):
            sock = socket.create_connection((HOST, port), timeout=5)
            sock.sendall(b"POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000\r\n\r\n{\"half\":")
            socks.append(sock)
        time.sleep(0.5)
        start = time.perf_counter()
        try:
            with socket.create_connection((HOST, port), timeout=wait) as probe:
                probe.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                status, _keep = _read_response(probe, bytearray())
            return f"/health answered {status} in {(time.perf_counter() - start) * 1000:.0f} ms"
        except OSError:
            return f"/health got no answer within {wait:.0f} s"
    finally:
        for sock in socks:
            sock.close()


def intake_phase(kind: str, app: str, tmp: Path, config: Path, requests: int, seconds: float
                 ) -> dict[str, LoadResult]:
    data_dir = tmp / f"{kind}-{app}-{uuid.uuid4().hex[:6]}"
    data_dir.mkdir()
    port = free_port()
    proc = start_server(kind, app, port, data_dir, config)
    try:
        load(port, bodies(300), keep_alive=True, seconds=seconds)  # warm up
        out = {"ka": load(port, bodies(requests), keep_alive=True, seconds=seconds),
               "new": load(port, bodies(requests // 2), keep_alive=False, seconds=seconds)}
        if app == "warmline":
            print(f"  {kind}: with 50 clients stalled mid-body, {stall_check(port)}", flush=True)
            one = sequential(port, bodies(300))
            print(f"  {kind}: one keep-alive client, 300 requests in a row: p50 {one.p50_ms:.1f} ms, "
                  f"p99 {one.p99_ms:.1f} ms (a Nagle / delayed-ACK stall would show as ~40 ms)", flush=True)
    finally:
        stop_server(proc)
    return out


# --- worker drain ------------------------------------------------------------------------------------------------
def drain_phase(tmp: Path, config_path: Path, stored: int, pending: int) -> tuple[float, float, int, int]:
    """Deliveries/s drained by LocalRunner.run_once with `stored` done rows already in the table."""
    from chalicelib.bootstrap import build
    from chalicelib.config.loader import load as load_config
    from chalicelib.ports import Delivery

    data_dir = tmp / f"drain-{stored}"
    config = load_config(config_path)
    services = build(config, mode="local", data_dir=data_dir, environ={"WARMLINE_SHOPIFY_SECRET": SECRET},
                     echo=lambda _t: None)
    queue = services.extras["queue"]
    db = services.extras["db"]
    now = datetime.now(UTC)
    iso = now.isoformat()
    with db.transaction() as conn:  # `stored` rows done earlier this week (bodies dropped, as complete() does)
        conn.executemany(
            "INSERT INTO deliveries (delivery_id, source, topic, shop, body, received_at, status, attempts,"
            " next_attempt_at, done_at) VALUES (?, 'shopify', 'orders/create', ?, X'', ?, 'done', 1, ?, ?)",
            ((f"old-{i}", SHOP, iso, iso, iso) for i in range(stored)))
    for source, topic, body in drain_mix(pending):
        queue.accept(Delivery(f"{source}:{uuid.uuid4()}", source, topic, body, now,
                              shop=SHOP if source == "shopify" else None))
    runner = services.extras["runner"]
    start, cpu = time.perf_counter(), time.process_time()
    report = runner.run_once()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    sent = len(services.extras["outbox"].messages())
    return report.processed / elapsed, report.processed / cpu, report.processed, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=6000, help="requests per intake phase (default 6000)")
    parser.add_argument("--seconds", type=float, default=20, help="time bound of each intake phase")
    parser.add_argument("--pending", type=int, default=2000, help="deliveries drained per drain phase")
    parser.add_argument("--stored", default="1000,200000", help="stored rows for the drain phases")
    parser.add_argument("--compare", action="store_true", help="also gunicorn (gthread) and granian, if installed")
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-drain", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="warmline-load-"))
    config = bench_config(tmp)
    print(f"Warmline load benchmark ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {CLIENTS} clients; ~3 KB checkouts)")
    try:
        if not args.skip_intake:
            kinds = ["waitress"]
            if args.compare:
                kinds += [k for k in ("gunicorn", "granian") if shutil.which(k, path=str(Path(sys.executable).parent))]
            for kind in kinds:
                floor = intake_phase(kind, "floor", tmp, config, args.requests, args.seconds)
                real = intake_phase(kind, "warmline", tmp, config, args.requests, args.seconds)
                name = "warmline serve" if kind == "waitress" else f"warmline on {kind}"
                print(floor["ka"].line(f"floor ({kind}), keep-alive"))
                print(real["ka"].line(f"{name}, keep-alive"))
                print(floor["new"].line(f"floor ({kind}), new connection"))
                print(real["new"].line(f"{name}, new connection"))
                ratio_ka = real["ka"].rate / floor["ka"].rate if floor["ka"].rate else 0
                ratio_new = real["new"].rate / floor["new"].rate if floor["new"].rate else 0
                print(f"  {kind}: warmline/floor {ratio_ka:.2f}x keep-alive, {ratio_new:.2f}x new connection "
                      "(goal >= 1,000/s, >= 0.5x, p99 <= 50 ms)")
                if kind == "waitress":  # the same, with serve's worker asleep: intake alone against the floor
                    idle = intake_phase(kind, "warmline-idle", tmp, config, args.requests, args.seconds)
                    print(idle["ka"].line("warmline serve, worker idle, keep-alive"))
                    print(idle["new"].line("warmline serve, worker idle, new conn."))
                    print(f"  worker idle: warmline/floor {idle['ka'].rate / max(floor['ka'].rate, 1):.2f}x keep-alive,"
                          f" {idle['new'].rate / max(floor['new'].rate, 1):.2f}x new connection")
        if not args.skip_drain:
            rates = []
            for stored in (int(s) for s in args.stored.split(",")):
                rate, cpu_rate, processed, sent = drain_phase(tmp, config, stored, args.pending)
                rates.append(rate)
                print(f"drain with {stored:>7} stored rows: {rate:6.0f} deliveries/s, {cpu_rate:6.0f} per CPU-second "
                      f"({processed} processed, {sent} emails written)")
            if len(rates) > 1:
                print(f"  drain last/first: {rates[-1] / rates[0]:.2f}x (goal >= 500/s, flat)")
        print("One run on a shared machine: run it a few times and compare ranges.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
