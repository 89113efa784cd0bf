"""The `warmline` command: run, inspect and test Warmline on a laptop.

Every error is a plain sentence on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bootstrap import Services

DEFAULT_CONFIG = "examples/bakery.json"
DATE_KEYS = ("created_at", "updated_at", "processed_at", "initiated_at")


class CliError(Exception):
    """A problem to show the user as one plain sentence."""


def _out(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CliError(f"--now must be an ISO-8601 time such as 2026-11-22T15:00:00+00:00, not {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _services(args: argparse.Namespace, now: datetime | None = None, echo: bool = True) -> Services:
    from .bootstrap import build
    from .config.loader import InvalidConfig, load

    try:
        config = load(args.config)
    except InvalidConfig as exc:
        raise CliError(str(exc)) from exc
    clock = (lambda: now) if now is not None else None
    return build(config, mode="local", data_dir=args.data_dir, clock=clock,
                 echo=None if echo else (lambda _text: None))


# --- commands ---------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from .config.loader import InvalidConfig, load

    try:
        config = load(args.file)
    except InvalidConfig as exc:
        print(f"{args.file}: {len(exc.problems)} problem(s)", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem.path}: {problem.problem}\n    fix: {problem.fix}", file=sys.stderr)
        return 1
    print(f"{args.file} is a valid Warmline config for {config.shop_name} ({config.shop_domain}).")
    if config.pilot:
        print("Pilot mode is on: customer emails will be held for your approval (warmline held).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import app as app_module

    from .adapters.local.http import serve

    services = _services(args)
    for name in services.config.secrets:  # read (or generate) every secret now, so replay agrees from the start
        try:
            services.secrets.get(name)
        except KeyError as exc:
            raise CliError(f"cannot start: {exc.args[0]}") from exc
    app_module.use(services)
    _recover(services)
    import signal

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt  # SIGTERM stops serve like Ctrl-C: the worker process is stopped with it

    signal.signal(signal.SIGTERM, interrupted)
    worker = _WorkerProcess(args)  # the ticker runs in its own process: the HTTP threads keep the GIL to themselves
    worker.start()

    def ready() -> None:
        print(f"Warmline for {services.config.shop_name}: http://{args.host}:{args.port}  (data in {args.data_dir};"
              f" outbox {Path(args.data_dir) / 'outbox'}; alerts {Path(args.data_dir) / 'alerts.jsonl'})", flush=True)
        if services.config.pilot:
            print("Pilot mode: customer emails are held for approval (warmline held / approve).", flush=True)

    try:
        serve(app_module.app, args.host, args.port, access_log=None if args.no_access_log else sys.stderr,
              ready=ready)
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    except KeyboardInterrupt:
        print("\nStopping.")
    finally:
        worker.stop()
    return 0


class _WorkerProcess:
    """`warmline serve`'s ticker: a child process running `warmline work` (queued deliveries and due reminders
    every --tick-seconds), restarted if it dies, stopped with serve; it exits by itself if serve is killed."""

    def __init__(self, args: argparse.Namespace) -> None:
        import os

        self.command = [sys.executable, "-m", "chalicelib.cli", "work", "--config", str(args.config),
                        "--data-dir", str(args.data_dir), "--tick-seconds", str(args.tick_seconds),
                        "--parent", str(os.getpid())]
        self.proc: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self._watch, name="warmline-worker-watch", daemon=True)

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command)
        self.watcher.start()

    def _watch(self) -> None:
        while not self.stopping.is_set():
            assert self.proc is not None
            code = self.proc.wait()
            if self.stopping.is_set():
                return
            print(f"[tick] the worker process stopped (exit {code}); starting it again", file=sys.stderr,
                  flush=True)
            if self.stopping.wait(1.0):
                return
            self.proc = subprocess.Popen(self.command)

    def stop(self) -> None:
        self.stopping.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def cmd_work(args: argparse.Namespace) -> int:
    """The ticker loop of `warmline serve` (run by it; use `warmline tick` for one run by hand)."""
    import os
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # finish cleanly: the current delivery rolls back
    services = _services(args)
    runner = services.extras["runner"]
    stop = threading.Event()
    while not stop.wait(args.tick_seconds):
        if args.parent and os.getppid() != args.parent:
            return 0  # serve is gone (kill -9): whatever this worker held is reclaimed by the next one at once
        try:
            report = runner.run_once()
            if report.processed or report.dead or report.retried or report.steps:
                print(f"[tick] {report}", file=sys.stderr, flush=True)
        except Exception as exc:  # the ticker must outlive one bad tick
            print(f"[tick] failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    return 0


def _recover(services: Services) -> None:
    """At start: the data directory is made private (0700), and temp files a killed outbox write left behind go
    (and torn .eml files, so they are resent)."""
    from .adapters.local.files import private_dir

    if services.data_dir is not None:
        private_dir(Path(services.data_dir))
    removed = services.extras["outbox"].recover()
    if removed:
        print(f"Removed {removed} unfinished outbox file(s) left by an interrupted run.", file=sys.stderr)


def cmd_tick(args: argparse.Namespace) -> int:
    now = _parse_now(args.now)
    services = _services(args, now)
    _recover(services)
    report = services.extras["runner"].run_once(now)
    print(str(report))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    for entry in services.log.recent(args.limit):
        _out(entry)
    return 0


def cmd_dead_letters(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    queue = services.extras["queue"]
    if args.retry:
        if not queue.retry_dead_letter(args.retry, services.clock()):
            raise CliError(f"no dead letter with id {args.retry!r}")
        print(f"{args.retry} is queued again; it runs on the next tick.")
        return 0
    letters = queue.dead_letters()
    for letter in letters:
        _out(letter)
    if not letters:
        print("No dead letters: every delivery was processed or is still being retried.", file=sys.stderr)
    return 0


def cmd_held(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    for held in services.store.held_emails():
        email = services.executor.renderer.email(_held_email(held))
        _out({"key": held["key"], "held_at": held["held_at"], "to": held["to"], "subject": email.subject,
              "why": held["reason"]})
    return 0


def _held_email(held: dict[str, Any]) -> Any:
    from .domain.decisions import SendEmail

    fields = {k: held[k] for k in ("key", "to", "template", "context", "kind", "reason", "checkout_token", "step")}
    return SendEmail(**fields)


def _held_or_fail(services: Services, key: str) -> Any:
    for held in services.store.held_emails():
        if held["key"] == key:
            return _held_email(held)
    raise CliError(f"no held email with key {key!r} (see 'warmline held')")


def cmd_approve(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    email = _held_or_fail(services, args.key)
    # Send first, release after: a failed send keeps the email held; a repeat send of the same key is a no-op.
    message_id = services.executor.send_email(email)
    services.store.release_held(email.key)
    services.log.record({"at": services.clock().isoformat(), "decision": "ApproveHeld", "outcome": "sent",
                         "key": email.key, "reason": "approved by the owner", "message_id": message_id})
    print(f"Sent {email.key}.")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    email = _held_or_fail(services, args.key)
    services.store.release_held(email.key)
    services.log.record({"at": services.clock().isoformat(), "decision": "RejectHeld", "outcome": "suppressed",
                         "key": email.key, "reason": "rejected by the owner"})
    print(f"Discarded {email.key}; it will not be sent.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    data = services.store.get_export(args.export_id)
    if data is None:
        raise CliError(f"no export named {args.export_id!r}; 'warmline log' shows the export ids")
    _out(data)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import os

    from .adapters.aws.wiring import sentiment_analyzer
    from .config.loader import InvalidConfig, load
    from .engine.score import score_lines

    try:
        config = load(args.config)
    except InvalidConfig as exc:
        raise CliError(str(exc)) from exc
    # The engine the config selects; Comprehend needs AWS credentials and falls back (marked degraded) without.
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    analyzer = sentiment_analyzer(config, region)
    for result in score_lines(sys.stdin, analyzer, config.escalation, datetime.now(UTC)):
        _out(result)
    return 0


def cmd_inspect_email(args: argparse.Namespace) -> int:
    from .bootstrap import local_analyzer
    from .ingress.inspect import inspect_email

    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from exc
    result = inspect_email(raw)
    if result.get("kind") == "customer":
        reading = local_analyzer().read(result.get("new_text") or result.get("subject") or "")
        result["sentiment"] = {"label": reading.label, "scores": reading.scores, "degraded": reading.degraded}
    _out(result)
    return 0


# --- replay --------------------------------------------------------------------------
def _source_and_topic(path: Path, topic: str | None) -> tuple[str, str]:
    from .ingress.translate import SHOPIFY

    parts = [p.lower() for p in path.parts]
    stem = path.name.removesuffix(".json")
    if "shopify" in parts:
        if topic:
            return "shopify", topic
        by_file = {t.replace("/", "_"): t for t in SHOPIFY}
        if stem in by_file:
            return "shopify", by_file[stem]
        raise CliError(f"cannot tell the Shopify topic of {path.name}; pass --topic (e.g. orders/paid)")
    if "stripe" in parts:
        if topic:
            return "stripe", topic
        if "." in stem:
            return "stripe", stem
        raise CliError(f"cannot tell the Stripe event type of {path.name}; pass --topic (e.g. invoice.payment_failed)")
    if "email" in parts or path.suffix == ".eml" or "postmark" in parts or "ses" in parts:
        return "email", "inbound"
    raise CliError(f"cannot tell where {path} comes from: put it under shopify/, stripe/ or email/, or pass --topic")


def _redate(text: str, now: datetime) -> str:
    stamp = now.isoformat(timespec="seconds")
    pattern = r'("(?:' + "|".join(DATE_KEYS) + r')"\s*:\s*)"[^"]*"'
    return re.sub(pattern, lambda m: f'{m.group(1)}"{stamp}"', text)


def _stripe_event(text: str, topic: str, now: datetime, keep_dates: bool) -> bytes:
    data = json.loads(text)
    if isinstance(data, dict) and data.get("object") == "event":
        event = data
    elif isinstance(data, dict) and isinstance(data.get("object"), dict):
        event = {"data": data}
    else:
        event = {"data": {"object": data}}
    event.setdefault("id", f"evt_replay_{uuid.uuid4().hex[:16]}")
    event["object"] = "event"
    event["type"] = topic
    if not keep_dates or "created" not in event:
        event["created"] = int(now.timestamp())
    return json.dumps(event).encode()


def _email_payload(path: Path, text: str) -> bytes:
    if path.suffix == ".eml":
        return json.dumps({"RawEmail": text}).encode()
    data = json.loads(text)
    if isinstance(data, dict) and data.get("Type") == "Notification":  # SNS envelope of an SES notification
        data = json.loads(data["Message"])
    if isinstance(data, dict) and "receipt" in data and "mail" in data:  # SES notification: send its MIME
        from .ingress.email_message import parse_ses_notification

        content = data.get("content")
        if not isinstance(content, str) or parse_ses_notification(data) is None:
            raise CliError(f"{path.name} has no email content (SES stored it in S3)")
        import base64

        if data["receipt"]["action"].get("encoding") == "BASE64":
            content = base64.b64decode(content).decode("utf-8", "replace")
        return json.dumps({"RawEmail": content}).encode()
    return text.encode()


def cmd_replay(args: argparse.Namespace) -> int:
    import requests

    from .ingress.signatures import shopify_hmac, stripe_header

    services = _services(args, echo=False)
    now = datetime.now(UTC)
    failures = 0
    for name in args.files:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot read {name}: {exc.strerror}") from exc
        source, topic = _source_and_topic(path, args.topic)
        headers = {"Content-Type": "application/json"}
        if source == "shopify":
            body = (text if args.keep_dates else _redate(text, now)).encode()
            headers.update({
                "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": services.config.shop_domain,
                "X-Shopify-Hmac-Sha256": shopify_hmac(services.secrets.get("shopify_webhook_secret"), body),
                "X-Shopify-Webhook-Id": args.delivery_id or str(uuid.uuid4()),
                "X-Shopify-Event-Id": str(uuid.uuid4()), "X-Shopify-API-Version": "2026-07",
                "X-Shopify-Triggered-At": now.isoformat().replace("+00:00", "Z"),
            })
            url = f"{args.url}/webhooks/shopify"
        elif source == "stripe":
            body = _stripe_event(text, topic, now, args.keep_dates)
            headers["Stripe-Signature"] = stripe_header(services.secrets.get("stripe_webhook_secret"), body,
                                                        int(time.time()))
            url = f"{args.url}/webhooks/stripe"
        else:
            body = _email_payload(path, text)
            token = services.secrets.get("inbound_email_token")
            if services.config.inbound_email.mode == "basic":
                import base64

                pair = f"{services.config.inbound_email.basic_username}:{token}".encode()
                headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
                url = f"{args.url}/webhooks/email"
            else:
                url = f"{args.url}/webhooks/email/{token}"
        try:
            response = requests.post(url, data=body, headers=headers, timeout=10)
        except requests.RequestException as exc:
            raise CliError(f"cannot reach Warmline at {args.url} ({type(exc).__name__}); is 'make run' running?")\
                from exc
        print(f"{path.name} -> {source} {topic}: {response.status_code} {response.text.strip()}")
        failures += response.status_code >= 400
    return 1 if failures else 0


def cmd_demo(args: argparse.Namespace) -> int:
    import requests

    try:
        requests.get(f"{args.url}/health", timeout=3)
    except requests.RequestException:
        raise CliError(f"no Warmline server at {args.url}: start it with 'make run' in another terminal, "
                       "then run 'make demo' again") from None
    shared = Path(args.shared)
    if not shared.is_dir():
        raise CliError(f"the shared fixtures are not at {shared}")
    files = [shared / "shopify/checkouts_create.json", shared / "shopify/customers_create.json",
             shared / "stripe/pay_rails_event_data/invoice.payment_failed.json",
             shared / "email/postmark/postmark-inbound-test-payload.json"]
    replay = argparse.Namespace(**{**vars(args), "files": [str(f) for f in files], "topic": None,
                                   "keep_dates": False, "delivery_id": None})
    cmd_replay(replay)
    # An upset customer, built from the shared Postmark sample with a complaint as its text.
    sample = json.loads((shared / "email/postmark/postmark-inbound-test-payload.json").read_text())
    complaint = "Where is my order?? It's been 3 weeks and nobody answers. I want a full refund or I'll dispute it."
    sample.update({"MessageID": str(uuid.uuid4()), "Subject": "Still waiting for my order", "TextBody": complaint,
                   "StrippedTextReply": complaint, "HtmlBody": "", "ReplyTo": "",
                   "FromFull": {"Email": "sam@example.com", "Name": "Sam Baker", "MailboxHash": ""},
                   "From": "sam@example.com", "FromName": "Sam Baker"})
    demo_file = Path(args.data_dir) / "demo" / "email" / "upset-customer.json"
    demo_file.parent.mkdir(parents=True, exist_ok=True)
    demo_file.write_text(json.dumps(sample))
    cmd_replay(argparse.Namespace(**{**vars(replay), "files": [str(demo_file)]}))
    print("\nWaiting for the server's ticker to process the deliveries...")
    time.sleep(args.wait)
    from .config.loader import load
    from .domain.policies import quiet_until

    later = datetime.now(UTC) + timedelta(hours=1, minutes=5)
    quiet_end = quiet_until(later, load(args.config))
    why = "one hour later"
    if quiet_end is not None:  # reminders wait for the end of the shop's quiet hours
        later, why = quiet_end.astimezone(UTC) + timedelta(minutes=5), "after the shop's quiet hours"
    print(f"\nPretending it is {later:%Y-%m-%d %H:%M} UTC ({why}) so the first cart reminder falls due:")
    cmd_tick(argparse.Namespace(**{**vars(args), "now": later.isoformat()}))
    outbox = Path(args.data_dir) / "outbox"
    print(f"\nOutbox ({outbox}):")
    for eml in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime):
        from email import message_from_bytes

        msg = message_from_bytes(eml.read_bytes())
        print(f"  {eml.name}: to {msg['To']}: {msg['Subject']}")
    alerts = Path(args.data_dir) / "alerts.jsonl"
    print(f"\nOwner alerts ({alerts}):")
    for line in alerts.read_text().splitlines() if alerts.exists() else []:
        entry = json.loads(line)
        print(f"  [{entry['level']}] {entry['sms']}")
    print("\nEvery decision and its reason: warmline log --data-dir", args.data_dir)
    return 0


# --- parser -----------------------------------------------------------------------------
def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="warmline", description="Empathetic automation for small online shops.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Any, help_text: str, data: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if data:
            p.add_argument("--config", default=DEFAULT_CONFIG, help="owner config JSON (default: %(default)s)")
            p.add_argument("--data-dir", default=None, help="local data directory (env WARMLINE_DATA_DIR, "
                           "default ./var)")
        return p

    p = command("serve", cmd_serve, "run the local service and its ticker")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--tick-seconds", type=float, default=3.0)
    p.add_argument("--no-access-log", action="store_true", help="do not print one line per request on stderr")
    p = command("work", cmd_work, "run queued deliveries and due reminders every few seconds (serve starts it)")
    p.add_argument("--tick-seconds", type=float, default=3.0)
    p.add_argument("--parent", type=int, default=0, help="exit when this process (serve) is gone")
    p = command("tick", cmd_tick, "run queued deliveries and due reminders once")
    p.add_argument("--now", help="act as of this ISO-8601 time")
    p = command("validate", cmd_validate, "check a config file and explain every problem", data=False)
    p.add_argument("file")
    p = command("log", cmd_log, "print recorded decisions (JSON lines)")
    p.add_argument("--limit", type=int, default=200)
    p = command("dead-letters", cmd_dead_letters, "list deliveries that failed 5 times")
    p.add_argument("--retry", metavar="DELIVERY_ID", help="queue this dead letter again")
    command("held", cmd_held, "list emails held for approval (pilot mode)")
    p = command("approve", cmd_approve, "send a held email")
    p.add_argument("key")
    p = command("reject", cmd_reject, "discard a held email")
    p.add_argument("key")
    p = command("export", cmd_export, "print a customer data export made for a Shopify data request")
    p.add_argument("export_id")
    p = command("replay", cmd_replay, "sign fixture files and post them to a running Warmline")
    p.add_argument("files", nargs="+")
    p.add_argument("--url", default="http://127.0.0.1:8000")
    p.add_argument("--topic")
    p.add_argument("--keep-dates", action="store_true", help="do not re-date timestamps to now")
    p.add_argument("--delivery-id", help="fixed X-Shopify-Webhook-Id (to try duplicates)")
    p = command("score", cmd_score, "score JSON lines {\"text\": ...} from stdin")
    p = command("inspect-email", cmd_inspect_email, "classify an .eml file and show its new text and reading",
                data=False)
    p.add_argument("file")
    p = command("demo", cmd_demo, "replay the shared fixtures against a running server and show the results")
    p.add_argument("--url", default="http://127.0.0.1:8000")
    p.add_argument("--shared", default="../shared/fixtures")
    p.add_argument("--wait", type=float, default=5.0)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    import os

    args = parser().parse_args(argv)
    if getattr(args, "data_dir", "unset") is None:
        args.data_dir = os.environ.get("WARMLINE_DATA_DIR") or "var"
    try:
        result: int = args.func(args)
        return result
    except CliError as exc:
        print(f"warmline: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one sentence for the owner; WARMLINE_DEBUG=1 shows the traceback
        if os.environ.get("WARMLINE_DEBUG"):
            raise
        print(f"warmline: {args.command} failed: {type(exc).__name__}: {exc} (set WARMLINE_DEBUG=1 for details)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
