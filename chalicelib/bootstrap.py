"""Composition root: the one place that reads the mode and builds adapters.

`build()` is called lazily (first request, first CLI command), never at import.
Tests call it with overrides (a fixed clock, a temp data dir, a fake analyzer)
instead of patching deep inside.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .config.loader import load
from .config.model import WarmlineConfig
from .executor import Executor
from .ingress.intake import Intake
from .messages import LinkSigner, MessageRenderer
from .ports import (
    CustomerStore,
    DecisionLog,
    DeliveryInbox,
    DiscountCodes,
    Mailer,
    OwnerAlerter,
    Scheduler,
    SecretSource,
    SentimentAnalyzer,
)
from .worker import Worker

DEFAULT_CONFIG = Path(__file__).resolve().parent / "config" / "shop.json"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Everything a handler or command needs, wired for one mode."""

    mode: str
    config: WarmlineConfig
    clock: Callable[[], datetime]
    secrets: SecretSource
    inbox: DeliveryInbox
    store: CustomerStore
    log: DecisionLog
    mailer: Mailer
    alerter: OwnerAlerter
    analyzer: SentimentAnalyzer
    links: LinkSigner
    intake: Intake
    worker: Worker
    executor: Executor
    data_dir: Path | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # local queue/runner, AWS clients, metrics


def config_path(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("WARMLINE_CONFIG") or DEFAULT_CONFIG)


def build(config: WarmlineConfig | None = None, *, mode: str | None = None, data_dir: str | Path | None = None,
          clock: Callable[[], datetime] | None = None, environ: Mapping[str, str] | None = None,
          analyzer: SentimentAnalyzer | None = None, echo: Callable[[str], None] | None = None,
          overrides: Mapping[str, Any] | None = None) -> Services:
    env = os.environ if environ is None else environ
    config = config or load(config_path(env))
    mode = mode or env.get("WARMLINE_MODE", "local")
    clock = clock or utc_now
    if mode == "local":
        return _build_local(config, Path(data_dir or env.get("WARMLINE_DATA_DIR") or "var"), clock, env, analyzer,
                            echo)
    if mode == "aws":
        return _build_aws(config, clock, env, analyzer, dict(overrides or {}))
    raise ValueError(f"WARMLINE_MODE must be 'local' or 'aws', not {mode!r}")


def _wire(mode: str, config: WarmlineConfig, clock: Callable[[], datetime], secrets: SecretSource,
          inbox: DeliveryInbox, store: CustomerStore, log: DecisionLog, mailer: Mailer, alerter: OwnerAlerter,
          analyzer: SentimentAnalyzer, forgetters: list[Callable[[str], int]], data_dir: Path | None,
          extras: dict[str, Any], metrics: Callable[[str, str | None], None] | None = None,
          fetch_s3: Callable[[str, str], bytes] | None = None, scheduler: Scheduler | None = None,
          env: Mapping[str, str] | None = None, link_base: str | None = None) -> Services:
    from .owner.wiring import budgeted, owner_desk

    # On AWS the base comes from the stack's API URL unless owner.review_base_url overrides it.
    links = LinkSigner(lambda: secrets.get("link_signing_key"), link_base or config.review_base_url, clock,
                       legacy_secret=lambda: secrets.get("inbound_email_token"))  # old unsubscribe links only
    renderer = MessageRenderer(config, links)
    desk = owner_desk(extras, clock)  # the owner's console: inbox items, sessions, labels, the alert budget
    if hasattr(desk, "forget"):
        forgetters = [*forgetters, desk.forget]
    alerter = extras["alert_budget"] = budgeted(alerter, desk, config, clock)
    executor = Executor(store, log, mailer, alerter, renderer, clock, forgetters, metrics, scheduler,
                        _discounts(config, secrets, env or {}))
    from .owner.recorder import RecordingWorker

    worker: Worker = RecordingWorker(config, store, analyzer, executor, clock, fetch_s3, scheduler).attach(desk)
    extras["scheduler"] = scheduler
    intake = Intake(config, secrets, inbox, log, clock)
    return Services(mode, config, clock, secrets, inbox, store, log, mailer, alerter, analyzer, links, intake,
                    worker, executor, data_dir, extras)


def _discounts(config: WarmlineConfig, secrets: SecretSource, env: Mapping[str, str]) -> DiscountCodes | None:
    """Goodwill codes need the Shopify Admin API; WARMLINE_SHOPIFY_ADMIN_URL points it elsewhere (tests)."""
    if "shopify_admin_token" not in config.secrets:
        return None
    from .adapters.shopify_admin import ShopifyAdminDiscounts

    def token() -> str:
        return secrets.get("shopify_admin_token")

    endpoint = env.get("WARMLINE_SHOPIFY_ADMIN_URL")
    return ShopifyAdminDiscounts(endpoint, token) if endpoint else ShopifyAdminDiscounts.for_shop(config.shop_domain,
                                                                                                token)



def local_analyzer() -> SentimentAnalyzer:
    from .engine.local import LocalSentimentAnalyzer

    return LocalSentimentAnalyzer()


def _build_local(config: WarmlineConfig, data_dir: Path, clock: Callable[[], datetime], env: Mapping[str, str],
                 analyzer: SentimentAnalyzer | None, echo: Callable[[str], None] | None) -> Services:
    from .adapters.local.alerts import FileAlerts
    from .adapters.local.outbox import FileOutbox
    from .adapters.local.runner import LocalRunner
    from .adapters.local.secrets import EnvSecrets
    from .adapters.local.sqlite import (
        SqliteCustomerStore,
        SqliteDatabase,
        SqliteDecisionLog,
        SqliteDeliveryQueue,
        SqliteScheduler,
    )

    data_dir.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(data_dir / "warmline.db")
    queue = SqliteDeliveryQueue(db)
    store = SqliteCustomerStore(db)
    outbox = FileOutbox(data_dir / "outbox")
    alerts = FileAlerts(data_dir / "alerts.jsonl", echo=echo if echo is not None else _stderr)
    secrets = EnvSecrets(config.secrets, env, data_dir)
    if analyzer is None:
        if config.sentiment.engine == "comprehend":
            _stderr("sentiment.engine is 'comprehend' but local mode has no AWS: using the local engine")
        analyzer = local_analyzer()

    def forget_files(email: str) -> int:
        return outbox.forget(email) + alerts.forget(email)

    services = _wire("local", config, clock, secrets, queue, store, SqliteDecisionLog(db), outbox, alerts,
                     analyzer, [forget_files], data_dir, {"db": db, "queue": queue, "outbox": outbox,
                                                          "alerts": alerts}, scheduler=SqliteScheduler(db), env=env)
    services.extras["runner"] = LocalRunner(queue, services.worker, clock)
    return services


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _build_aws(config: WarmlineConfig, clock: Callable[[], datetime], env: Mapping[str, str],
               analyzer: SentimentAnalyzer | None, overrides: dict[str, Any]) -> Services:
    """AWS wiring (owned with the AWS adapters; see docs/aws.md and adapters/aws/wiring.py).

    overrides: "clients" / "intake_clients" (AwsClients), "observability"."""
    from .adapters.aws.wiring import build_aws_adapters

    aws = build_aws_adapters(config, clock, env, analyzer, overrides)
    return _wire("aws", config, clock, aws.secrets, aws.inbox, aws.store, aws.log, aws.mailer, aws.alerter,
                 aws.analyzer, [], None, aws.extras, aws.observability.metric_sink, fetch_s3=aws.fetch_s3,
                 scheduler=aws.scheduler, env=env, link_base=aws.link_base)
