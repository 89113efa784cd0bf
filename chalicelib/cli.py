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
    import os

    from .bootstrap import build
    from .config.loader import InvalidConfig, load

    try:
        config = load(args.config)
    except InvalidConfig as exc:
        raise CliError(str(exc)) from exc
    clock = (lambda: now) if now is not None else None
    stage = getattr(args, "sub_stage", None) or getattr(args, "stage", None)
    if stage or os.environ.get("WARMLINE_MODE") == "aws":  # a deployed stack, with the owner's AWS credentials
        return _aws_services(config, stage or os.environ.get("WARMLINE_STAGE") or "dev", clock)
    return build(config, mode="local", data_dir=args.data_dir, clock=clock,
                 echo=None if echo else (lambda _text: None))


STACK_OUTPUTS = {"WARMLINE_TABLE": "StateTableName", "WARMLINE_QUEUE_URL": "DeliveryQueueUrl",
                 "WARMLINE_ALERTS_TOPIC_ARN": "AlertsTopicArn",
                 "WARMLINE_SES_CONFIGURATION_SET": "EmailConfigurationSetName", "WARMLINE_API_URL": "ApiUrl"}


def _aws_services(config: Any, stage: str, clock: Any) -> Services:
    """Bootstrap's AWS mode for a deployed stage: names from the environment, else the stack's outputs."""
    import io
    import os

    from .adapters.aws.observability import Observability
    from .bootstrap import build

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,30}", stage):
        raise CliError(f"--stage must be a stage name such as dev or prod, not {stage!r}")
    env = {**os.environ, "WARMLINE_MODE": "aws", "WARMLINE_STAGE": stage}
    missing = [name for name in STACK_OUTPUTS if not env.get(name)]
    if missing:
        stack = os.environ.get("WARMLINE_STACK_NAME") or f"warmline-{stage}"
        try:
            import boto3

            described = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
        except Exception as exc:
            raise CliError(f"cannot read the stack {stack!r} ({type(exc).__name__}): check your AWS credentials "
                           "and region (aws configure), or set WARMLINE_TABLE and WARMLINE_QUEUE_URL") from None
        outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
        for name in missing:
            if outputs.get(STACK_OUTPUTS[name]):
                env[name] = outputs[STACK_OUTPUTS[name]]
    return build(config, mode="aws", clock=clock, environ=env,
                 overrides={"observability": Observability(stream=io.StringIO())})


def _owner(services: Services) -> Any:
    from .owner.wiring import owner_services

    return owner_services(services)


def _actor(args: argparse.Namespace, verb: str) -> Any:
    import getpass

    from .owner.services import Actor

    try:
        who = getpass.getuser()
    except Exception:
        who = "owner"
    return Actor(who=f"{who} (cli)", why=getattr(args, "why", None) or f"warmline {verb}")


def _acting(do: Any) -> Any:
    from .owner.services import OwnerActionError

    try:
        return do()
    except OwnerActionError as exc:
        raise CliError(str(exc)) from exc


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
    if getattr(args, "stage", None):  # a deployed stage: its links must reach customers
        from .adapters.aws.preflight import link_base_problems

        link_problems = link_base_problems(config, args.stage)
        if link_problems:
            print(f"{args.file}: not ready for stage {args.stage}", file=sys.stderr)
            for line in link_problems:
                print(f"  {line}", file=sys.stderr)
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
        print(f"Your console: http://{args.host}:{args.port}/console (sign in with the link 'warmline console-link' "
              "prints)", flush=True)

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
            services.extras["alert_budget"].flush()  # alerts the budget held back, when their time comes
            _owner(services).weekly_digest_if_due()  # Monday mornings, once a week
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
    services.extras["alert_budget"].flush(now)
    print(str(report))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    for entry in services.log.recent(args.limit):
        _out(entry)
    return 0


def cmd_dead_letters(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    owner = _owner(services)
    if args.retry:
        _acting(lambda: owner.retry_dead_letter(args.retry, _actor(args, "dead-letters --retry")))
        print(f"{args.retry} is queued again; it runs on the next tick.")
        return 0
    if args.discard:
        _acting(lambda: owner.discard_dead_letter(args.discard, _actor(args, "dead-letters --discard")))
        print(f"{args.discard} is discarded; it will not run again.")
        return 0
    letters = _acting(owner.dead_letter_list)  # failed deliveries, and timed steps as step:<flow>:<key>
    for letter in letters:
        _out(letter)
    if not letters:
        print("No dead letters: every delivery and every timed step ran or is still being retried.",
              file=sys.stderr)
    return 0


def cmd_flows(args: argparse.Namespace) -> int:
    """The flows, what each does, and the webhook topics each needs: printed from the code, so the README's
    table (made by this command) cannot disagree with it."""
    from .flows import FLOWS

    print(flows_table(FLOWS))
    return 0


def flows_table(flows: Sequence[Any]) -> str:
    lines = ["| flow | what it does | sends | webhooks it needs |", "| --- | --- | --- | --- |"]
    for flow in flows:
        sends = {"marketing": "marketing email", "service": "service email",
                 "acknowledgement": "acknowledgement"}.get(flow.kind or "", "owner alerts only")
        topics = ", ".join(f"`{t}`" for t in flow.topics)
        on = " (always on)" if flow.always_on else ""
        lines.append(f"| `{flow.name}`{on} | {flow.summary} | {sends} | {topics} |")
    return "\n".join(lines)


def cmd_held(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    for held in _owner(services).held():
        _out({"key": held["key"], "held_at": held["held_at"], "to": held["to"], "subject": held["subject"],
              "why": held["reason"]})
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    text = Path(args.text_file).read_text(encoding="utf-8") if args.text_file else None
    # Send first, release after: a failed send keeps the email held; a repeat send of the same key is a no-op.
    result = _acting(lambda: _owner(services).approve(args.key, _actor(args, "approve"), f"cli-approve:{args.key}",
                                                      text=text))
    if result.get("repeated") and not any(h["key"] == args.key for h in services.store.held_emails()):
        raise CliError(f"no held email with key {args.key!r} (see 'warmline held'); it was sent already")
    print(f"Sent {args.key}.")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    _acting(lambda: _owner(services).reject(args.key, _actor(args, "reject"), f"cli-reject:{args.key}"))
    print(f"Discarded {args.key}; it will not be sent.")
    return 0


def cmd_automatic(args: argparse.Namespace) -> int:
    import uuid

    if args.email.count("@") != 1:
        raise CliError(f"{args.email!r} is not an email address")
    services = _services(args, echo=False)
    if args.switch in ("on", "off"):
        _acting(lambda: _owner(services).automatic_emails(args.email, args.switch == "on", _actor(
            args, f"automatic {args.switch}"), f"cli-automatic:{uuid.uuid4().hex}"))
    customer = services.store.get_customer(args.email)
    if customer is not None and customer.automatic_off:
        why = f" ({customer.automatic_off_why})" if customer.automatic_off_why else ""
        print(f"Off since {customer.automatic_off[:16].replace('T', ' ')} UTC{why}: Warmline sends {args.email} no "
              "automatic email; your own replies still go. 'warmline automatic ADDRESS on' turns them back on.")
    else:
        known = "" if customer is not None or args.switch == "on" else " (no customer with this address on record)"
        print(f"On: automatic emails to {args.email} follow the config and the guardrails{known}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    owner = _owner(services)
    if args.email:
        _out(_acting(lambda: owner.export_customer(args.email, _actor(args, "export --email"))))
        return 0
    if not args.export_id:
        raise CliError("name an export id (see 'warmline log') or a customer with --email ADDRESS")
    _out(_acting(lambda: owner.export(args.export_id)))
    return 0


def cmd_console_link(args: argparse.Namespace) -> int:
    from .owner.wiring import console_auth

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}", args.who):
        raise CliError("--as takes a short name (letters, digits, space, . _ -), e.g. --as Rosie")
    services = _services(args, echo=False)
    print(console_auth(services).signin_url(args.who))
    print("Open it within 15 minutes; it works once.", file=sys.stderr)
    return 0


def cmd_week(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    owner = _owner(services)
    if args.email:
        _acting(lambda: owner.send_weekly_digest(_actor(args, "week --email")))
        print(f"The weekly digest is on its way to {services.config.owner_email}.")
        return 0
    from .owner.week import week_text

    print(week_text(owner.week(), services.config.shop_name), end="")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    if not args.owner_labels:
        raise CliError("say what to evaluate: --owner-labels (the sentiment model's own evaluation is 'make eval')")
    services = _services(args, echo=False)
    _out(_owner(services).week().as_dict())
    return 0


def cmd_flush_alerts(args: argparse.Namespace) -> int:
    services = _services(args, echo=False)
    sent = services.extras["alert_budget"].flush()
    print(f"{sent} waiting alert(s) texted." if sent else "No waiting alerts could be texted now (alert budget).")
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
    lines = [json.dumps({"text": " ".join(args.text)})] if args.text else sys.stdin
    for result in score_lines(lines, analyzer, config.escalation, datetime.now(UTC)):
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
    cmd_replay(argparse.Namespace(**{**vars(replay), "files": [str(f) for f in _demo_flow_files(
        shared, Path(args.data_dir) / "demo")]}))
    print("\nWaiting for the server's ticker to process the deliveries...")
    time.sleep(args.wait)
    from .config.loader import load
    from .flows.guardrails import quiet_until

    later = datetime.now(UTC) + timedelta(hours=1, minutes=5)
    quiet_end = quiet_until(later, load(args.config))
    why = "one hour later"
    if quiet_end is not None:  # reminders wait for the end of the shop's quiet hours
        later, why = quiet_end.astimezone(UTC) + timedelta(minutes=5), "after the shop's quiet hours"
    print(f"\nPretending it is {later:%Y-%m-%d %H:%M} UTC ({why}) so the first cart reminder falls due:")
    cmd_tick(argparse.Namespace(**{**vars(args), "now": later.isoformat()}))
    week = later + timedelta(days=11)
    print(f"\nPretending it is {week:%Y-%m-%d %H:%M} UTC: the late order's apology and the survey fall due:")
    cmd_tick(argparse.Namespace(**{**vars(args), "now": week.isoformat()}))
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


def _demo_flow_files(shared: Path, folder: Path) -> list[Path]:
    """The shared samples made into a small shop's week: a paid order that ships (thank-you, shipping note,
    and later a survey), one that does not ship (a late-order apology), one refunded (a refund note) and an
    expired Stripe Checkout session with a recovery link (Stripe cart reminders)."""
    order = json.loads((shared / "shopify/orders_create.json").read_text())
    order.update(cancelled_at=None, financial_status="paid", test=False, email="maya@example.com")
    order["customer"] = {**order.get("customer", {}), "email": "maya@example.com", "first_name": "Maya"}
    late = {**order, "id": 820982911946154999, "name": "#10000", "email": "lee@example.com",
            "customer": {**order["customer"], "id": 115310627314723999, "email": "lee@example.com",
                         "first_name": "Lee"}}
    session = json.loads((shared / "stripe/openapi_fixtures/checkout_session.json").read_text())
    session.update(status="expired", amount_total=1850, currency="gbp")
    session["after_expiration"]["recovery"]["url"] = "https://buy.stripe.com/r/demo"
    refunded = {**order, "id": 820982911946154997, "name": "#10001", "email": "jo@example.com",
                "customer": {**order["customer"], "id": 115310627314723997, "email": "jo@example.com",
                             "first_name": "Jo"}}
    refund = json.loads((shared / "shopify/refunds_create.json").read_text())
    refund["order_id"] = refunded["id"]
    made = {"shopify/orders_paid.json": order, "late/shopify/orders_paid.json": late,
            "refunded/shopify/orders_paid.json": refunded, "refunded/shopify/refunds_create.json": refund,
            "stripe/checkout.session.expired.json": session}
    paths = []
    for name, data in made.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
        paths.append(path)
    return [*paths[:3], shared / "shopify/fulfillments_create.json", *paths[3:]]


def _aws_clients(args: argparse.Namespace) -> Any:
    from .adapters.aws.clients import AwsClients, RetryPolicy

    return AwsClients(region=args.region, policy=RetryPolicy(max_attempts=4))


def _stage_config(args: argparse.Namespace) -> Any:
    from .config.loader import InvalidConfig, load

    if args.stage not in ("dev", "prod"):
        raise CliError(f"--stage must be dev or prod, not {args.stage!r}")
    try:
        return load(args.config)
    except InvalidConfig as exc:
        raise CliError(str(exc)) from exc


def cmd_secrets(args: argparse.Namespace) -> int:
    """`secrets put`: SecureStrings from the environment (the local config's variable names); `secrets check`."""
    import os

    from .adapters.aws.preflight import PreflightProblem, put_secrets, secret_problems, secret_sources

    config = _stage_config(args)
    ssm = _aws_clients(args).ssm
    if args.action == "check":
        problems = secret_problems(ssm, config, args.stage)
        for problem in problems:
            print(f"warmline: {problem}", file=sys.stderr)
        if not problems:
            print(f"All secrets for stage {args.stage} are set as SecureStrings.")
        return 1 if problems else 0
    values = {name: os.environ[var] for name, var in secret_sources(config).items() if os.environ.get(var)}
    try:
        outcomes = put_secrets(ssm, config, args.stage, values, kms_key_id=args.kms_key_id or None)
    except PreflightProblem as exc:
        raise CliError(str(exc)) from exc
    for outcome in outcomes:
        print(f"{outcome.path}: {outcome.outcome}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from .adapters.aws.preflight import doctor

    config = _stage_config(args)
    clients = _aws_clients(args)
    region = args.region or clients._session_or_default().region_name or "your default region"
    checks = doctor(clients, config, args.stage, region)
    marks = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}
    for check in checks:
        print(f"[{marks[check.status]}] {check.what}: {check.detail}")
    failed = [c for c in checks if c.status == "fail"]
    print(f"{len(failed)} problem(s) to fix before customers rely on stage {args.stage}." if failed
          else f"Stage {args.stage} is ready ({sum(c.status == 'warn' for c in checks)} note(s) above).")
    return 1 if failed else 0


# --- parser -----------------------------------------------------------------------------
def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="warmline", description="Empathetic automation for small online shops.")
    top.add_argument("--stage", help="act on this deployed stage (dev, prod) through AWS (owner commands)")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Any, help_text: str, data: bool = True, stage: bool = False
                ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if stage:
            p.add_argument("--stage", dest="sub_stage", help="act on this deployed stage (dev, prod) with your "
                           "AWS credentials; "
                           "default: WARMLINE_MODE=aws and WARMLINE_STAGE, else the local data directory")
            p.add_argument("--why", help="why you do this (recorded in the decision log)")
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
    p.add_argument("--stage", help="also check it is ready for this deployed AWS stage (dev or prod)")
    p = command("secrets", cmd_secrets, "write (put) or check the webhook secrets in SSM for an AWS stage",
                data=False)
    p.add_argument("action", choices=["put", "check"])
    p.add_argument("--stage", required=True)
    p.add_argument("--config", default=DEFAULT_CONFIG)
    p.add_argument("--region", default=None, help="AWS region (default: your AWS configuration's)")
    p.add_argument("--kms-key-id", default=None, help="KMS key for the SecureStrings (default: aws/ssm)")
    p = command("doctor", cmd_doctor, "check the AWS account against the first-deploy checklist", data=False)
    p.add_argument("--stage", required=True)
    p.add_argument("--config", default=DEFAULT_CONFIG)
    p.add_argument("--region", default=None, help="AWS region (default: your AWS configuration's)")
    p = command("log", cmd_log, "print recorded decisions (JSON lines)", stage=True)
    p.add_argument("--limit", type=int, default=200)
    p = command("dead-letters", cmd_dead_letters, "list deliveries and timed steps that failed 5 times",
                stage=True)
    what = p.add_mutually_exclusive_group()
    what.add_argument("--retry", metavar="ID", help="run this dead letter (or step:<flow>:<key>) again")
    what.add_argument("--discard", metavar="ID", help="drop this dead letter (or step:<flow>:<key>) for good")
    command("flows", cmd_flows, "list the flows, what each does and the webhooks each needs", data=False)
    command("held", cmd_held, "list emails held for approval (pilot mode)", stage=True)
    p = command("approve", cmd_approve, "send a held email", stage=True)
    p.add_argument("key")
    p.add_argument("--text-file", help="send this text instead of the template's (the automated footer stays)")
    p = command("reject", cmd_reject, "discard a held email", stage=True)
    p.add_argument("key")
    p = command("automatic", cmd_automatic, "stop every automatic email to one customer (off), allow them again "
                "(on), or say which (status)", stage=True)
    p.add_argument("email", help="the customer's email address")
    p.add_argument("switch", choices=["off", "on", "status"], nargs="?", default="status")
    p = command("export", cmd_export, "print a customer data export (a Shopify data request's, or --email's now)",
                stage=True)
    p.add_argument("export_id", nargs="?")
    p.add_argument("--email", help="export everything stored about this customer now")
    p = command("console-link", cmd_console_link, "print a one-time sign-in link to your console (15 minutes)",
                stage=True)
    p.add_argument("--as", dest="who", default="owner", help="whose link (recorded with every action they take)")
    p = command("week", cmd_week, "print this week's figures (or --email them to you)", stage=True)
    p.add_argument("--email", action="store_true")
    p = command("eval", cmd_eval, "how often Warmline was right, by your own labels (JSON)", stage=True)
    p.add_argument("--owner-labels", action="store_true", help="precision and misses from your console labels")
    command("flush-alerts", cmd_flush_alerts, "text alerts the alert budget is holding, if it allows now",
            stage=True)
    p = command("replay", cmd_replay, "sign fixture files and post them to a running Warmline")
    p.add_argument("files", nargs="+")
    p.add_argument("--url", default="http://127.0.0.1:8000")
    p.add_argument("--topic")
    p.add_argument("--keep-dates", action="store_true", help="do not re-date timestamps to now")
    p.add_argument("--delivery-id", help="fixed X-Shopify-Webhook-Id (to try duplicates)")
    p = command("score", cmd_score, "how Warmline reads a message: warmline score \"the text\", or JSON lines "
                "{\"text\": ...} from stdin (read as given; for a whole .eml with quoted history, inspect-email)")
    p.add_argument("text", nargs="*", help="a message to read (else JSON lines from stdin)")
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
