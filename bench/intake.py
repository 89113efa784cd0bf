"""Benchmark: accepting one signed ~3 KB Shopify webhook in process, against the floor.

Prints figures; asserts nothing about time (shared, noisy machines). Run: make bench
  intake   = Intake.shopify(): size check, HMAC verify, JSON parse, shape check, dedupe + durable SQLite insert
  floor    = HMAC-SHA256 + json.loads + one SQLite insert, alone, on the same kind of database
  route    = the same webhook through the Chalice route (chalice.test.Client), for information
  imports  = `import app` and `import boto3` in fresh interpreters (goal: app within 1.35x of boto3)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "fixtures"
SECRET = "hush"
N = 3000


def body_3kb() -> bytes:
    """The shared checkouts/create sample, compacted, one of its two line items, without its tax lines: ~3 KB."""
    path = SHARED / "shopify" / "checkouts_create.json"
    if not path.is_file():
        sys.exit(f"the shared fixtures are missing: expected {path}")
    data = json.loads(path.read_text())
    data["line_items"] = data["line_items"][:1]
    data["line_items"][0].pop("tax_lines")
    return json.dumps(data, separators=(",", ":")).encode()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[int], object], n: int = N) -> list[float]:
    for i in range(200):  # warm up
        fn(-1 - i)
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1e6)
    return out


def main() -> None:
    from datetime import UTC, datetime

    from chalicelib.bootstrap import build
    from chalicelib.config.loader import load

    body = body_3kb()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    tmp = Path(tempfile.mkdtemp(prefix="warmline-bench-"))
    config = load(ROOT / "examples" / "bakery.json")
    env = {"WARMLINE_SHOPIFY_SECRET": SECRET, "WARMLINE_STRIPE_SECRET": "x", "WARMLINE_EMAIL_TOKEN": "y"}
    services = build(config, mode="local", data_dir=tmp / "intake", environ=env, echo=lambda _t: None)
    ids = [str(uuid.uuid4()) for _ in range(N + 400)]

    def headers(i: int) -> dict[str, str]:
        return {"X-Shopify-Hmac-Sha256": signature, "X-Shopify-Topic": "checkouts/create",
                "X-Shopify-Shop-Domain": config.shop_domain, "X-Shopify-Webhook-Id": ids[i]}

    def intake(i: int) -> object:
        reply = services.intake.shopify(body, headers(i))
        assert reply.status == 200, reply.body
        return reply

    # The floor: the same three unavoidable steps, on an identical SQLite setup (WAL, synchronous=NORMAL).
    conn = sqlite3.connect(tmp / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE d (id TEXT PRIMARY KEY, body BLOB)")
    floor_ids = [str(uuid.uuid4()) for _ in range(N + 400)]

    def floor(i: int) -> object:
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
        hmac.compare_digest(expected, base64.b64decode(signature))
        json.loads(body)
        conn.execute("INSERT INTO d VALUES (?, ?)", (floor_ids[i], body))
        return None

    results = {"floor": timed(floor), "intake": timed(intake)}
    from chalice.test import Client

    import app as app_module

    route_services = build(config, mode="local", data_dir=tmp / "route", environ=env, echo=lambda _t: None)
    app_module.use(route_services)
    route_ids = [str(uuid.uuid4()) for _ in range(1400)]
    with Client(app_module.app) as client:
        def route(i: int) -> object:
            h = {**headers(0), "X-Shopify-Webhook-Id": route_ids[i], "Content-Type": "application/json"}
            return client.http.post("/webhooks/shopify", headers=h, body=body)
        results["route"] = timed(route, 1000)

    print(f"Warmline intake benchmark ({datetime.now(UTC):%Y-%m-%d}, Python {sys.version.split()[0]}, "
          f"body {len(body)} bytes, n={N})")
    print(f"{'':8} {'median µs':>10} {'p99 µs':>10}")
    for name, samples in results.items():
        print(f"{name:8} {statistics.median(samples):10.1f} {percentile(samples, 0.99):10.1f}")
    f_med, f_p99 = statistics.median(results["floor"]), percentile(results["floor"], 0.99)
    i_med, i_p99 = statistics.median(results["intake"]), percentile(results["intake"], 0.99)
    print(f"intake/floor: median {i_med / f_med:.2f}x, p99 {i_p99 / f_p99:.2f}x (goal: p99 within 3x)")

    def import_ms(module: str, runs: int = 7) -> float:
        code = f"import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
        samples = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                        check=True).stdout) for _ in range(runs)]
        return statistics.median(samples)

    app_ms, boto_ms = import_ms("app"), import_ms("boto3")
    print(f"import app {app_ms:.1f} ms, import boto3 {boto_ms:.1f} ms (fresh interpreters, median of 7): "
          f"{app_ms / boto_ms:.2f}x (goal: within 1.35x)")


if __name__ == "__main__":
    main()
