"""boto3 clients with botocore's own retry policy, built once per process by bootstrap.

Throttling (ThrottlingException, ProvisionedThroughputExceededException,
TooManyRequestsException...), 5xx and connection errors are retried by botocore's
"standard" retry mode with exponential backoff and jitter: no hand-written loops.
Endpoints come from boto3 itself, so AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>)
points every client at moto in tests with no code path of its own.

Nothing here runs at import; boto3 is imported when a client is first asked for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. The intake answers a webhook within API Gateway's 29 s, so it gives up
    sooner (and answers 503 so the sender retries); the worker can wait longer."""

    max_attempts: int  # in all, the first try included (botocore's total_max_attempts)
    mode: Literal["standard", "adaptive", "legacy"] = "standard"
    connect_timeout: float = 2.0
    read_timeout: float = 10.0

    def botocore_config(self) -> Any:
        from botocore.config import Config

        return Config(
            retries={"mode": self.mode, "total_max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            tcp_keepalive=True,
        )


INTAKE_RETRIES = RetryPolicy(max_attempts=3, connect_timeout=1.0, read_timeout=4.0)
WORKER_RETRIES = RetryPolicy(max_attempts=6, connect_timeout=2.0, read_timeout=15.0)
COMPREHEND_CALLS = RetryPolicy(max_attempts=1, connect_timeout=2.0, read_timeout=10.0)  # the adapter retries


class LazyClient:
    """Stands in for a boto3 client and builds it on first use.

    A Lambda function touches only some services (the intake never calls SES); creating a
    client loads its service model, tens of milliseconds each, so cold starts pay only for
    the clients a request uses."""

    def __init__(self, clients: AwsClients, service: str) -> None:
        self._clients = clients
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(self._clients.client(self._service), name)


class AwsClients:
    """One client per service, created on first use (threads share them; boto3 clients are thread-safe)."""

    def __init__(self, region: str | None = None, policy: RetryPolicy = WORKER_RETRIES, session: Any = None) -> None:
        self.region = region
        self.policy = policy
        self._session = session
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _session_or_default(self) -> Any:
        if self._session is None:
            import boto3

            self._session = boto3.session.Session(region_name=self.region)
        return self._session

    def client(self, service: str) -> Any:
        with self._lock:
            found = self._clients.get(service)
            if found is None:
                found = self._session_or_default().client(service, config=self.policy.botocore_config())
                self._clients[service] = found
            return found

    def lazy(self, service: str) -> Any:
        return LazyClient(self, service)

    @property
    def dynamodb(self) -> Any:
        return self.client("dynamodb")

    @property
    def sqs(self) -> Any:
        return self.client("sqs")

    @property
    def sesv2(self) -> Any:
        return self.client("sesv2")

    @property
    def sns(self) -> Any:
        return self.client("sns")

    @property
    def ssm(self) -> Any:
        return self.client("ssm")

    @property
    def comprehend(self) -> Any:
        return self.client("comprehend")
