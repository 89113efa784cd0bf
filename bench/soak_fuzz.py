"""Soak, fuzz part: 20,000 validly signed, mutated webhooks against a real `warmline serve` on loopback.

Every request is a real fixture from ../shared with one to three hostile changes (tests/hostile.py:
out-of-range numbers and timestamps, lone surrogates, CR/LF and bidi characters in addresses and
names, wrong types, deep nesting, huge text), signed with the server's own secrets, posted to the
Shopify, Stripe and inbound-email routes by a few keep-alive clients. Then it waits for the
server's worker to drain the queue and counts what was dead-lettered.

Prints: requests sent, accepted, duplicates, ignored (202), 4xx by code, 5xx, connection errors,
dead-lettered (new during this run), still pending, and up to five samples of each failure kind.
Exit status 0 when there was no 5xx, no connection error, no dead letter and nothing left pending after
the drain wait; 1 otherwise.

Bounded: stops after --requests requests or --seconds seconds, whichever comes first, then waits at
most --drain-seconds for the queue. Traffic goes only to 127.0.0.1 / localhost / ::1.

    warmline serve --config examples/bakery.json --data-dir /tmp/soak --port 8765 &
    python bench/soak_fuzz.py --url http://127.0.0.1:8765 --config examples/bakery.json --data-dir /tmp/soak

Secrets: the server's environment variables (WARMLINE_SHOPIFY_SECRET, ...) when set in this
environment too, else DATA_DIR/secrets.json (what `serve` generated), else the test secrets.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile import SECRETS, Seed, load_seeds, mutate, signed_request  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SECRET_NAMES = {"shopify": ("WARMLINE_SHOPIFY_SECRET", "shopify_webhook_secret"),
                "stripe": ("WARMLINE_STRIPE_SECRET", "stripe_webhook_secret"),
                "email": ("WARMLINE_EMAIL_TOKEN", "inbound_email_token")}


def server_secrets(data_dir: Path) -> dict[str, str]:
    stored: dict[str, str] = {}
    path = data_dir / "secrets.json"
    if path.is_file():
        stored = json.loads(path.read_text())
    return {route: os.environ.get(env) or stored.get(name) or SECRETS[route]
            for route, (env, name) in SECRET_NAMES.items()}


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = 0
        self.status: Counter[int] = Counter()
        self.outcome: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.samples: dict[str, list[str]] = {}

    def take(self, limit: int, deadline: float) -> bool:
        with self.lock:
            if self.sent >= limit or time.monotonic() >= deadline:
                return False
            self.sent += 1
            return True

    def record(self, status: int, body: bytes, seed: Seed) -> None:
        outcome = ""
        try:
            outcome = str(json.loads(body).get("status") or json.loads(body).get("error") or "")
        except (ValueError, AttributeError):
            outcome = "not JSON"
        with self.lock:
            self.status[status] += 1
            self.outcome[outcome] += 1
            if status >= 500 or outcome == "not JSON":
                self.samples.setdefault("5xx" if status >= 500 else "not JSON", []).append(
                    f"{seed.route} {seed.topic} ({seed.name}): {status} {body[:200]!r}")

    def failed(self, kind: str, detail: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.samples.setdefault(kind, []).append(detail[:200])


def client(host: str, port: int, seeds: list[Seed], secrets: dict[str, str], tally: Tally, limit: int,
           deadline: float, rng: random.Random) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while tally.take(limit, deadline):
        seed = rng.choice(seeds)
        path, headers, body = signed_request(seed, mutate(seed.doc, rng), secrets=secrets)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            tally.record(response.status, data, seed)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            tally.failed(f"connection error ({type(exc).__name__})", f"{seed.route} {seed.name}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.close()


def queue_state(config_path: str, data_dir: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """The server's queue counts and dead letters, read through Warmline's own local adapters."""
    from chalicelib.bootstrap import build
    from chalicelib.config.loader import load

    services = build(load(config_path), mode="local", data_dir=data_dir, echo=lambda _text: None)
    try:
        queue = services.extras["queue"]
        return dict(queue.counts()), list(queue.dead_letters())
    finally:
        services.extras["db"].close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--url", default=None, help="a running `warmline serve` (loopback only); without it, "
                        "one is started on a free port with a fresh data directory and stopped at the end")
    parser.add_argument("--config", default=str(ROOT / "examples" / "bakery.json"), help="the server's config")
    parser.add_argument("--data-dir", default=None, help="the server's --data-dir (queue, dead letters, secrets)")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=600.0, help="stop sending after this long")
    parser.add_argument("--drain-seconds", type=float, default=300.0, help="wait at most this long for the worker")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11, help="random seed (the same seed sends the same mutations)")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "fixtures"))
    args = parser.parse_args(argv)
    if args.url is None:  # `make soak`: a server of our own, so the figures are this run's alone
        return _with_own_server(args, sys.argv[1:] if argv is None else argv)
    if args.data_dir is None:
        parser.error("--data-dir is required with --url (the running server's data directory)")

    target = urlsplit(args.url)
    if target.hostname not in LOOPBACK or target.scheme != "http":
        print(f"soak_fuzz: refusing {args.url}: traffic goes only to http://127.0.0.1 (or localhost, ::1)",
              file=sys.stderr)
        return 2
    data_dir = Path(args.data_dir)
    try:
        seeds = load_seeds(Path(args.shared), ("shopify", "stripe", "email"))
    except FileNotFoundError as exc:
        print(f"soak_fuzz: {exc}", file=sys.stderr)
        return 2
    secrets = server_secrets(data_dir)
    _, dead_before = queue_state(args.config, data_dir)
    known_dead = {d["delivery_id"] for d in dead_before}

    tally = Tally()
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [threading.Thread(target=client, daemon=True,
                                args=(target.hostname, target.port or 80, seeds, secrets, tally, args.requests,
                                      deadline, random.Random(args.seed * 1000 + i)))
               for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sending = time.monotonic() - started

    drain_deadline = time.monotonic() + args.drain_seconds
    counts, dead = queue_state(args.config, data_dir)
    while time.monotonic() < drain_deadline:
        pending = sum(n for status, n in counts.items() if status not in ("done", "dead"))
        if pending == 0:
            break
        time.sleep(2.0)
        counts, dead = queue_state(args.config, data_dir)
    new_dead = [d for d in dead if d["delivery_id"] not in known_dead]
    pending = sum(n for status, n in counts.items() if status not in ("done", "dead"))
    drained = time.monotonic() - started - sending

    four = {code: n for code, n in sorted(tally.status.items()) if 400 <= code < 500}
    five = sum(n for code, n in tally.status.items() if code >= 500)
    print(f"soak fuzz: {tally.sent} signed mutated requests to {args.url} with {args.clients} clients "
          f"in {sending:.1f} s ({tally.sent / sending if sending else 0:.0f}/s), seed {args.seed}")
    print(f"  accepted        {tally.outcome['accepted']}")
    print(f"  duplicate       {tally.outcome['duplicate']}")
    print(f"  ignored (202)   {tally.status[202]}")
    print(f"  4xx             {sum(four.values())}  " + " ".join(f"{code}:{n}" for code, n in four.items()))
    print(f"  5xx             {five}")
    print(f"  conn. errors    {sum(tally.errors.values())}")
    print(f"  dead-lettered   {len(new_dead)}")
    print(f"  still pending   {pending} (after waiting {drained:.1f} s for the worker; a delivery still queued"
          " here is usually one failing and waiting to retry, dead-lettered after 5 attempts, about 8 minutes)")
    for kind, samples in tally.samples.items():
        print(f"  {kind} samples:")
        for sample in samples[:5]:
            print(f"    {sample}")
    for letter in new_dead[:5]:
        print(f"  dead letter: {letter['delivery_id']} ({letter['topic']}): {str(letter.get('error'))[:200]}")
    ok = five == 0 and not tally.errors and not new_dead and pending == 0 and "not JSON" not in tally.outcome
    return 0 if ok else 1




def _with_own_server(args: argparse.Namespace, argv: list[str]) -> int:
    """Start `warmline serve` on a free loopback port with a fresh data directory, run against it, stop it."""
    import tempfile

    import load  # bench/load.py: the secrets a benchmark server is started with
    import soak  # bench/soak.py: a real, killable `warmline serve`

    with tempfile.TemporaryDirectory(prefix="warmline-soak-fuzz-") as tmp:
        data_dir = Path(tmp) / "data"
        server = soak.Serve(data_dir, Path(args.config), Path(tmp))
        server.start()
        # sign with the secrets the server was started with
        os.environ.update({k: v for k, v in load.server_env(data_dir, Path(args.config)).items()
                           if k.startswith("WARMLINE_")})
        try:
            return main([*argv, "--url", f"http://127.0.0.1:{server.port}", "--data-dir", str(data_dir)])
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
