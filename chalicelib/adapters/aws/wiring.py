"""The AWS adapters, wired from the Lambda environment; called by bootstrap in aws mode only.

The template (infra/resources.yaml) sets these variables on every function:
WARMLINE_TABLE, WARMLINE_QUEUE_URL, WARMLINE_ALERTS_TOPIC_ARN,
WARMLINE_SES_CONFIGURATION_SET, WARMLINE_INBOUND_BUCKET and WARMLINE_STAGE, and
WARMLINE_API_URL (the base of every link) on every function but the API's own, which
app.py gives the URL API Gateway reports in the request context. Clients are lazy: a function
builds only the clients its requests use. AWS_ENDPOINT_URL is honoured by boto3
itself (that is how the integration tests reach moto).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...config.model import WarmlineConfig
from ...ports import (
    CustomerStore,
    DecisionLog,
    DeliveryInbox,
    Mailer,
    OwnerAlerter,
    Scheduler,
    SecretSource,
    SentimentAnalyzer,
)
from .clients import COMPREHEND_CALLS, INTAKE_RETRIES, WORKER_RETRIES, AwsClients
from .dynamodb import DeliveryDedupe, DynamoCustomerStore, DynamoDecisionLog, DynamoScheduler, DynamoTable, SendClaims
from .observability import DegradedSentimentCounter, Observability
from .ses import SesMailer
from .sns import SnsOwnerAlerter
from .sqs import SqsDeliveryInbox
from .ssm import SsmSecrets

REQUIRED = ("WARMLINE_TABLE", "WARMLINE_QUEUE_URL")


class AwsSettingsMissing(Exception):
    """The function was deployed without the template's environment variables."""


@dataclass
class AwsAdapters:
    secrets: SecretSource
    inbox: DeliveryInbox
    store: CustomerStore
    log: DecisionLog
    mailer: Mailer
    alerter: OwnerAlerter
    analyzer: SentimentAnalyzer
    observability: Observability
    extras: dict[str, Any] = field(default_factory=dict)
    scheduler: Scheduler | None = None
    link_base: str | None = None
    fetch_s3: Callable[[str, str], bytes] | None = None


MAX_INBOUND_BYTES = 40 * 1024 * 1024  # SES receives messages up to 40 MB


def link_base(config: WarmlineConfig, env: Mapping[str, str]) -> str:
    """The base of unsubscribe, review and export links on AWS: owner.review_base_url when the owner
    set one (a custom domain), else the stack's API URL. Never the local default."""
    explicit = (config.raw.get("owner") or {}).get("review_base_url")
    if explicit:
        return str(explicit).rstrip("/")
    api = env.get("WARMLINE_API_URL")
    if api:
        return api.rstrip("/")
    raise AwsSettingsMissing(
        "links need the API's URL: WARMLINE_API_URL (set by infra/resources.yaml; the stack output ApiUrl) "
        "or owner.review_base_url in the config"
    )


def s3_fetcher(s3_client: Any, bucket: str | None) -> Callable[[str, str], bytes]:
    """Read a raw inbound message SES stored, from this stack's inbound bucket only (the notification's
    bucket name is data, and a message is read at most MAX_INBOUND_BYTES)."""

    def fetch(bucket_name: str, key: str) -> bytes:
        if not bucket or bucket_name != bucket:
            raise PermissionError(f"inbound message is in bucket {bucket_name!r}, not this stack's inbound bucket")
        if not key.startswith("inbound/") or ".." in key:
            raise PermissionError("inbound message key outside the inbound/ prefix")
        response = s3_client.get_object(Bucket=bucket, Key=key)
        if int(response.get("ContentLength") or 0) > MAX_INBOUND_BYTES:
            raise ValueError(f"inbound message over {MAX_INBOUND_BYTES} bytes")
        data: bytes = response["Body"].read(MAX_INBOUND_BYTES + 1)
        if len(data) > MAX_INBOUND_BYTES:
            raise ValueError(f"inbound message over {MAX_INBOUND_BYTES} bytes")
        return data

    return fetch


def build_aws_adapters(config: WarmlineConfig, clock: Callable[[], datetime], env: Mapping[str, str],
                       analyzer: SentimentAnalyzer | None = None,
                       overrides: Mapping[str, Any] | None = None) -> AwsAdapters:
    overrides = overrides or {}
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise AwsSettingsMissing(
            f"aws mode needs {', '.join(missing)} (set by infra/resources.yaml; deploy with `make deploy`)"
        )
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    worker: AwsClients = overrides.get("clients") or AwsClients(region=region, policy=WORKER_RETRIES)
    # The request path gives up sooner (503 and the sender retries) than the worker does.
    intake: AwsClients = overrides.get("intake_clients") or AwsClients(region=region, policy=INTAKE_RETRIES)
    obs: Observability = overrides.get("observability") or Observability()

    table = DynamoTable(worker.lazy("dynamodb"), env["WARMLINE_TABLE"])
    intake_table = DynamoTable(intake.lazy("dynamodb"), env["WARMLINE_TABLE"])
    stage = env.get("WARMLINE_STAGE", "dev")

    secrets = SsmSecrets(intake.lazy("ssm"), config.secrets, default_prefix=f"/warmline/{stage}")
    inbox = SqsDeliveryInbox(intake.lazy("sqs"), env["WARMLINE_QUEUE_URL"], DeliveryDedupe(intake_table, clock),
                             count=obs.count)
    store = DynamoCustomerStore(table, clock)
    log = DynamoDecisionLog(table, clock)
    mailer = SesMailer(worker.lazy("sesv2"), SendClaims(table, "email", clock),
                       configuration_set=env.get("WARMLINE_SES_CONFIGURATION_SET") or None)
    alerter = SnsOwnerAlerter(worker.lazy("sns"), SendClaims(table, "alert", clock),
                              env.get("WARMLINE_ALERTS_TOPIC_ARN") or None, config.owner_phones,
                              shop_name=config.shop_name, sender_id=config.sms_sender_id,
                              origination_number=config.sms_origination_number)
    if analyzer is None:
        analyzer = sentiment_analyzer(config, region, overrides.get("comprehend_clients"))
    counted: SentimentAnalyzer = DegradedSentimentCounter(analyzer, obs)
    return AwsAdapters(secrets, inbox, store, log, mailer, alerter, counted, obs,
                       {"clients": worker, "intake_clients": intake, "observability": obs, "table": table},
                       DynamoScheduler(table), link_base=link_base(config, env),
                       fetch_s3=s3_fetcher(worker.lazy("s3"), env.get("WARMLINE_INBOUND_BUCKET")))


def sentiment_analyzer(config: WarmlineConfig, region: str | None,
                       clients: AwsClients | None = None) -> SentimentAnalyzer:
    """The engine the config selects: Comprehend with the local engine as its fallback, or the local engine."""
    from ...engine.local import LocalSentimentAnalyzer

    local = LocalSentimentAnalyzer()
    if config.sentiment.engine != "comprehend":
        return local
    from .comprehend import ComprehendAnalyzer

    # The adapter retries throttling itself (backoff, jitter, then the local fallback, marked
    # degraded); botocore must not retry underneath it, or the two loops multiply.
    single = clients or AwsClients(region=region, policy=COMPREHEND_CALLS)
    return ComprehendAnalyzer(single.lazy("comprehend"), fallback=local, language=config.sentiment.language)
