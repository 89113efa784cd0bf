"""`warmline serve`'s HTTP side: the Chalice app as a WSGI app, served by waitress.

Chalice's own `chalice local` server is a development tool (http.server: a thread per connection, a listen
backlog of 5, no read timeouts, the whole body read before any size check, and an access log that prints the
full path). Here the same `LocalGateway` that `chalice local` uses turns each WSGI request into the API Gateway
event the app sees on AWS, so the routes run exactly as they do on Lambda, behind a production server.

Why waitress (figures in README, "Serving"): measured on this project's 2-core machine beside gunicorn (gthread)
and granian, both faster, but a few clients that send half a body and stop hold all of their threads and the
service answers nothing; waitress reads requests on its event loop (a stalled client holds no thread and is
closed after CHANNEL_TIMEOUT), enforces the body limit from Content-Length and while de-chunking, and sets
TCP_NODELAY on every connection. It is pure Python and a local dependency only (requirements-dev.txt): the
Lambda zip is built from requirements.txt, which does not list it.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, TextIO

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import LocalChalice, LocalGateway, LocalGatewayException, RouteMatcher

MAX_BODY_BYTES = 1024 * 1024  # the intake's limit (chalicelib/ingress/intake.py), enforced before reading
StartResponse = Callable[..., Any]


def _status(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Status"


def _json_error(start_response: StartResponse, code: int, message: str, detail: str) -> list[bytes]:
    body = json.dumps({"error": message, "detail": detail}).encode()
    start_response(_status(code), [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def thread_safe(app: Chalice) -> Chalice:
    """Chalice keeps `current_request` on the app object; under a threaded server it must be per thread.
    This is what `chalice local` does (chalice.local.create_local_server)."""
    if not isinstance(app, LocalChalice):
        local_class = type("WarmlineLocalChalice", (LocalChalice, app.__class__), {})
        app.__class__ = local_class
    return app


class ChaliceWSGI:
    """A WSGI callable running a Chalice app's routes through chalice.local.LocalGateway.

    The access log names the route template (`/webhooks/email/{token}`), never the path: a path segment can
    carry a secret (the inbound-email token), and query strings carry signed link tokens.
    """

    def __init__(self, app: Chalice, access_log: TextIO | None = None, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = thread_safe(app)
        self.gateway = LocalGateway(self.app, Config.create(chalice_app=self.app))
        self.routes = RouteMatcher(list(self.app.routes))
        self.access_log = access_log
        self.max_body = max_body

    def route_of(self, path: str) -> str:
        try:
            return str(self.routes.match_route(path).route)
        except ValueError:
            return "(no route)"

    def _log(self, method: str, path: str, status: int, size: int, started: float) -> None:
        if self.access_log is None:
            return
        ms = (time.perf_counter() - started) * 1000
        self.access_log.write(f"{method} {self.route_of(path)} {status} {size}B {ms:.1f}ms\n")

    def _body(self, environ: dict[str, Any]) -> bytes | None:
        """The request body, never more than max_body + 1 bytes read (None: too large)."""
        stream = environ["wsgi.input"]
        length_text = environ.get("CONTENT_LENGTH") or ""
        if length_text:
            length = int(length_text)
            if length > self.max_body:
                return None
            return bytes(stream.read(length)) if length else b""
        # No Content-Length (chunked: the server de-chunks it): read in bounded steps.
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = stream.read(min(65536, self.max_body + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > self.max_body:
                return None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = str(environ.get("PATH_INFO", "/")) or "/"
        query = environ.get("QUERY_STRING") or ""
        try:
            body = self._body(environ)
        except ValueError:
            self._log(method, path, 400, 0, started)
            return _json_error(start_response, 400, "bad Content-Length", "Content-Length must be a number")
        if body is None:
            self._log(method, path, 413, 0, started)
            return _json_error(start_response, 413, "payload too large",
                               f"requests over {self.max_body} bytes are refused")
        headers = {key[5:].replace("_", "-").lower(): str(value) for key, value in environ.items()
                   if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = str(environ["CONTENT_TYPE"])
        if environ.get("CONTENT_LENGTH"):
            headers["content-length"] = str(environ["CONTENT_LENGTH"])
        try:
            response = self.gateway.handle_request(method=method, path=path + (f"?{query}" if query else ""),
                                                   headers=headers, body=body or None)
        except LocalGatewayException as exc:
            payload = exc.body or b""
            start_response(_status(exc.CODE), [*exc.headers.items(), ("Content-Length", str(len(payload)))])
            self._log(method, path, exc.CODE, len(payload), started)
            return [payload]
        status = int(response["statusCode"])
        out = response.get("body")
        if response.get("isBase64Encoded") and out is not None:
            import base64

            out = base64.b64decode(out)
        data = b"" if out is None else out if isinstance(out, bytes) else str(out).encode("utf-8")
        header_list: list[tuple[str, str]] = []
        for name, value in (response.get("headers") or {}).items():
            header_list.append((name, str(value)))
        for name, values in (response.get("multiValueHeaders") or {}).items():
            header_list.extend((name, str(v)) for v in values)
        if not any(name.lower() == "content-type" for name, _ in header_list):
            header_list.append(("Content-Type", "application/json"))
        header_list = [(n, v) for n, v in header_list if n.lower() != "content-length"]
        header_list.append(("Content-Length", str(len(data))))
        start_response(_status(status), header_list)
        self._log(method, path, status, len(data), started)
        return [data] if method != "HEAD" else [b""]


# Server settings: the figures behind them are in README ("Serving").
BACKLOG = 1024  # the kernel queue of connections not yet accepted (http.server: 5)
THREADS = 8  # application threads; waitress reads and writes on its own event loop
CHANNEL_TIMEOUT = 10  # seconds a connection may sit idle or stall mid-request before it is closed
CONNECTION_LIMIT = 1000  # open connections; more wait in the backlog
MAX_HEADER_BYTES = 64 * 1024
CLEANUP_INTERVAL = 2  # how often (s) waitress looks for connections past CHANNEL_TIMEOUT


def build_server(app: Chalice, host: str, port: int, access_log: TextIO | None = sys.stderr) -> Any:
    """A waitress server bound to host:port (port 0: any free port), not yet running."""
    from waitress.server import create_server

    server: Any = create_server(
        ChaliceWSGI(app, access_log=access_log), host=host, port=port, threads=THREADS, backlog=BACKLOG,
        channel_timeout=CHANNEL_TIMEOUT, connection_limit=CONNECTION_LIMIT,
        max_request_body_size=MAX_BODY_BYTES, max_request_header_size=MAX_HEADER_BYTES,
        cleanup_interval=CLEANUP_INTERVAL, ident="warmline", clear_untrusted_proxy_headers=True,
        expose_tracebacks=False, log_untrusted_proxy_headers=False,
    )
    server.channel_class = _json_error_channel()
    # waitress sets TCP_NODELAY on every accepted socket (Adjustments.socket_options): no Nagle stall.
    return server


def serve(app: Chalice, host: str, port: int, access_log: TextIO | None = sys.stderr,
          ready: Callable[[], None] | None = None) -> None:
    """Serve until interrupted (KeyboardInterrupt propagates to the caller)."""
    server = build_server(app, host, port, access_log)
    if ready is not None:
        ready()
    try:
        server.run()
    finally:
        server.close()


def _json_error_channel() -> type:
    """waitress answers what it refuses itself (413 over the limit, 400 malformed, 431 headers) in plain text;
    Warmline's senders get JSON errors everywhere, so its error task writes the same error as JSON."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class JsonErrorTask(ErrorTask):  # type: ignore[misc]
        def execute(self) -> None:
            error = self.request.error
            body = json.dumps({"error": str(error.reason).lower(), "detail": str(error.body)}).encode()
            self.status = f"{error.code} {error.reason}"
            self.response_headers.append(("Content-Type", "application/json"))
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class JsonErrorChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = JsonErrorTask

    return JsonErrorChannel
