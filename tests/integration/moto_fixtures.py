"""A real moto server on 127.0.0.1 (one per test session) and fresh stacks on it.

Imported by the integration and contract conftests. Everything talks to moto over
HTTP through AWS_ENDPOINT_URL, which boto3 honours by itself: the adapters and the
bootstrap have no test-only code path.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.adapters.aws.clients import AwsClients, RetryPolicy

from .stack import REGION, Stack, create_stack

_lock = threading.Lock()
_server: dict[str, Any] = {}

DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto() -> str:
    """Start (once) a ThreadedMotoServer on a free port; returns its URL."""
    with _lock:
        if "url" not in _server:
            import logging

            from moto.server import ThreadedMotoServer

            logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise

            port = _free_port()
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            server.start()
            _server["server"] = server
            _server["url"] = f"http://127.0.0.1:{port}"
        return str(_server["url"])


def moto_data(url: str) -> dict[str, Any]:
    """moto's own view of its state, over HTTP (/moto-api/data.json)."""
    with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=10) as response:
        data: dict[str, Any] = json.loads(response.read())
    return data


def ses_sent(url: str) -> list[dict[str, Any]]:
    return list(moto_data(url).get("ses", {}).get("Message", []))


def sns_sms(url: str) -> list[dict[str, Any]]:
    return list(moto_data(url).get("sns", {}).get("SMS", []))


def sns_topic_notifications(url: str, topic_arn: str) -> list[list[Any]]:
    for topic in moto_data(url).get("sns", {}).get("Topic", []):
        if topic.get("arn") == topic_arn:
            return list(topic.get("sent_notifications", []))
    return []


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    url = start_moto()
    saved = {k: os.environ.get(k) for k in [*DUMMY_ENV, "AWS_ENDPOINT_URL", "AWS_PROFILE"]}
    os.environ.update(DUMMY_ENV)
    os.environ["AWS_ENDPOINT_URL"] = url
    os.environ.pop("AWS_PROFILE", None)
    yield url
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def aws_clients(moto_url: str) -> AwsClients:
    # Fewer attempts than production: moto answers at once, and failures should show fast.
    return AwsClients(region=REGION, policy=RetryPolicy(max_attempts=3, connect_timeout=2, read_timeout=10))


@dataclass
class AwsWorld:
    url: str
    clients: AwsClients
    stack: Stack
    sender: str = "hello@rosiesbakery.example"

    def now(self) -> datetime:
        return datetime.now(UTC)


def new_stack(clients: AwsClients, url: str) -> AwsWorld:
    name = f"t{uuid.uuid4().hex[:10]}"
    stack = create_stack(clients, name, {"Stage": "dev", "SenderIdentity": "rosiesbakery.example"})
    world = AwsWorld(url=url, clients=clients, stack=stack)
    clients.sesv2.create_email_identity(EmailIdentity="rosiesbakery.example")
    return world


@pytest.fixture
def aws(aws_clients: AwsClients, moto_url: str) -> AwsWorld:
    """A fresh copy of the template's resources (unique names) for one test."""
    return new_stack(aws_clients, moto_url)
