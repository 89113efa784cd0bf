"""`warmline serve`'s HTTP layer: the Chalice app as WSGI behind waitress (chalicelib/adapters/local/http.py)."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.app import Chalice

from chalicelib.adapters.local.http import MAX_BODY_BYTES, ChaliceWSGI, build_server


def tiny_app() -> Chalice:
    app = Chalice(app_name="tiny")

    @app.route("/echo/{token}", methods=["POST"], content_types=["application/json"])
    def echo(token: str) -> dict[str, Any]:
        request = app.current_request
        assert request is not None
        return {"len": len(request.raw_body or b""), "token_len": len(token)}

    @app.route("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


class Unreadable(io.RawIOBase):
    """A request body that must not be read (as if 256 MiB were on their way)."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read although Content-Length is over the limit")


class Endless(io.RawIOBase):
    """A de-chunked body that never ends; counts what was read."""

    def __init__(self) -> None:
        self.served = 0

    def read(self, size: int = -1) -> bytes:
        size = 65536 if size is None or size < 0 else size
        self.served += size
        return b"0" * size


def call(app: ChaliceWSGI, method: str, path: str, body: Any, **environ: str) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": body,
           "CONTENT_TYPE": "application/json", **environ}
    out = b"".join(app(env, start_response))
    return seen["status"], seen["headers"], out


def test_a_body_over_the_limit_by_content_length_is_refused_unread_with_json() -> None:
    log = io.StringIO()
    status, headers, out = call(ChaliceWSGI(tiny_app(), access_log=log), "POST", "/echo/abc", Unreadable(),
                                CONTENT_LENGTH=str(256 * 1024 * 1024))
    assert status.startswith("413") and headers["Content-Type"] == "application/json"
    assert json.loads(out)["error"] == "payload too large"


def test_a_chunked_body_is_cut_off_just_past_the_limit() -> None:
    body = Endless()
    status, _headers, out = call(ChaliceWSGI(tiny_app()), "POST", "/echo/abc", body)
    assert status.startswith("413") and json.loads(out)["error"] == "payload too large"
    assert MAX_BODY_BYTES < body.served <= MAX_BODY_BYTES + 65536


def test_a_body_within_the_limit_reaches_the_route() -> None:
    payload = json.dumps({"x": "y" * 1000}).encode()
    status, _h, out = call(ChaliceWSGI(tiny_app()), "POST", "/echo/abc", io.BytesIO(payload),
                           CONTENT_LENGTH=str(len(payload)))
    assert status.startswith("200") and json.loads(out) == {"len": len(payload), "token_len": 3}


def test_the_access_log_names_the_route_never_the_secret_path_segment() -> None:
    log = io.StringIO()
    app = ChaliceWSGI(tiny_app(), access_log=log)
    secret = "s3cr3t-inbound-token"
    call(app, "POST", f"/echo/{secret}", io.BytesIO(b"{}"), CONTENT_LENGTH="2")
    call(app, "POST", f"/echo/{secret}", Unreadable(), CONTENT_LENGTH=str(MAX_BODY_BYTES + 1))
    call(app, "GET", f"/nowhere/{secret}", io.BytesIO(b""), QUERY_STRING=f"t={secret}")
    text = log.getvalue()
    assert secret not in text
    assert "POST /echo/{token} 200" in text and "POST /echo/{token} 413" in text and "(no route) 403" in text


@pytest.fixture
def server() -> Iterator[Any]:
    srv = build_server(tiny_app(), "127.0.0.1", 0, access_log=None)
    try:
        yield srv
    finally:
        srv.close()


def test_the_server_is_configured_for_production(server: Any) -> None:
    adj = server.adj
    assert adj.backlog >= 1024  # http.server's is 5: connection resets under a burst
    assert (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) in adj.socket_options  # no Nagle / delayed-ACK stall
    assert adj.max_request_body_size == MAX_BODY_BYTES  # waitress stops reading a chunked body there too
    assert 0 < adj.channel_timeout <= 30  # a stalled or idle connection is closed
    assert adj.connection_limit >= 100 and adj.threads >= 4
    assert adj.expose_tracebacks is False
