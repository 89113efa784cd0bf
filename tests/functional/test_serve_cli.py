"""`warmline serve` as a real process on a free port, driven by `warmline replay`; and the other commands."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import EXAMPLE_CONFIG, FIXTURES, ROOT, shared_file

WARMLINE = [sys.executable, "-m", "chalicelib.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLINE_")}
    return subprocess.run([*WARMLINE, *args], cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=60,
                          env={**env, "WARMLINE_DATA_DIR": str(data_dir)})


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The example config without quiet hours, so wall-clock time cannot defer a reminder in these tests."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps({**json.loads(EXAMPLE_CONFIG.read_text()), "quiet_hours": None}))
    return path


@pytest.fixture
def server(tmp_path: Path, config: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLINE_")}
    output = (tmp_path / "serve.log").open("w")  # a file, not a pipe nobody reads: the access log can't block
    proc = subprocess.Popen([*WARMLINE, "serve", "--config", str(config), "--data-dir", str(data_dir),
                             "--port", str(port), "--tick-seconds", "0.2"], cwd=ROOT, env=env,
                            stdout=output, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            proc.kill()
            proc.wait()
            pytest.fail(f"warmline serve did not start: {(tmp_path / 'serve.log').read_text()}")
        yield url, data_dir
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        output.close()


def test_the_access_log_shows_the_route_not_the_inbound_email_token(server: tuple[str, Path]) -> None:
    url, data_dir = server
    token = json.loads((data_dir / "secrets.json").read_text())["inbound_email_token"]
    wrong = "not-the-token-" + token[:4] + "x" * 20
    for path_token in (token, wrong):
        requests.post(f"{url}/webhooks/email/{path_token}", data=b"{}", timeout=10,
                      headers={"Content-Type": "application/json"})
    requests.get(f"{url}/unsubscribe", params={"t": token}, timeout=10)
    time.sleep(0.3)
    log = (data_dir.parent / "serve.log").read_text()
    assert "POST /webhooks/email/{token}" in log
    assert token not in log and wrong not in log


def test_a_huge_body_is_refused_from_its_content_length_without_being_read(server: tuple[str, Path]) -> None:
    url, _data_dir = server
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        # Announce 256 MiB, send none of it: the answer must come from the header alone.
        sock.sendall(b"POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 268435456\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):  # the server closes the connection after refusing
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"application/json" in head
    assert json.loads(body)["detail"]
    assert requests.get(f"{url}/health", timeout=5).ok


def wait_for(predicate: object, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_serve_and_replay_with_generated_secrets(server: tuple[str, Path], config: Path) -> None:
    url, data_dir = server
    files = [str(shared_file("stripe/pay_rails_event_data/invoice.payment_failed.json")),
             str(shared_file("shopify/checkouts_create.json"))]
    replay = run("replay", *files, "--url", url, "--config", str(EXAMPLE_CONFIG), data_dir=data_dir)
    # On failure show the server's side too (its log names the answer and any error behind it).
    assert replay.returncode == 0, replay.stdout + replay.stderr + (data_dir.parent / "serve.log").read_text()[-4000:]
    assert replay.stdout.count(": 200 ") == 2, replay.stdout
    outbox = data_dir / "outbox"
    assert wait_for(lambda: len(list(outbox.glob("*.eml"))) == 1)  # the payment note; the cart waits an hour
    secrets = json.loads((data_dir / "secrets.json").read_text())
    assert set(secrets) == {"shopify_webhook_secret", "stripe_webhook_secret", "inbound_email_token",
                            "link_signing_key"}
    assert oct((data_dir / "secrets.json").stat().st_mode)[-3:] == "600"
    assert oct(data_dir.stat().st_mode)[-3:] == "700" and oct((data_dir / "warmline.db").stat().st_mode)[-3:] == "600"
    # An hour later (tick --now against the same data dir) the first reminder goes out.
    later = (time.time() + 3700)
    from datetime import UTC, datetime

    tick = run("tick", "--now", datetime.fromtimestamp(later, UTC).isoformat(), "--config", str(config),
               data_dir=data_dir)
    assert tick.returncode == 0, tick.stderr
    assert len(list(outbox.glob("*.eml"))) == 2
    log = run("log", "--config", str(EXAMPLE_CONFIG), data_dir=data_dir)
    entries = [json.loads(line) for line in log.stdout.splitlines()]
    assert any(e["decision"] == "SendEmail" and e["template"] == "cart_reminder_1" for e in entries)
    assert all("example@email.com" not in line for line in log.stdout.splitlines())  # masked


def test_replayed_duplicate_is_not_processed_twice(server: tuple[str, Path]) -> None:
    url, data_dir = server
    file = str(shared_file("shopify/customers_create.json"))
    first = run("replay", file, "--url", url, "--delivery-id", "fixed-1", "--config", str(EXAMPLE_CONFIG),
                data_dir=data_dir)
    second = run("replay", file, "--url", url, "--delivery-id", "fixed-1", "--config", str(EXAMPLE_CONFIG),
                 data_dir=data_dir)
    assert '"accepted"' in first.stdout and '"duplicate"' in second.stdout


def test_replay_explains_what_it_cannot_do(tmp_path: Path) -> None:
    result = run("replay", str(shared_file("shopify/checkouts_create.json")), "--url", "http://127.0.0.1:9",
                 "--config", str(EXAMPLE_CONFIG), data_dir=tmp_path)
    assert result.returncode == 1 and "cannot reach Warmline" in result.stderr and "Traceback" not in result.stderr
    odd = tmp_path / "mystery.json"
    odd.write_text("{}")
    result = run("replay", str(odd), "--config", str(EXAMPLE_CONFIG), data_dir=tmp_path)
    assert result.returncode == 1 and "cannot tell where" in result.stderr


def test_tick_rejects_a_bad_time_and_dead_letters_starts_empty(tmp_path: Path) -> None:
    result = run("tick", "--now", "yesterday", "--config", str(EXAMPLE_CONFIG), data_dir=tmp_path)
    assert result.returncode == 1 and "ISO-8601" in result.stderr
    result = run("dead-letters", "--config", str(EXAMPLE_CONFIG), data_dir=tmp_path)
    assert result.returncode == 0 and "No dead letters" in result.stderr


def test_score_and_inspect_email(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"text": t}) for t in (
        "Where is my order? It's been 3 weeks and this is awful service.", "Thank you, the cake was perfect!"))
    lines += "\nnot json\n"
    result = run("score", "--config", str(EXAMPLE_CONFIG), data_dir=tmp_path, stdin=lines)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["sentiment"] == "NEGATIVE" and out[0]["escalation"] != "none" and out[0]["reasons"]
    assert out[1]["sentiment"] == "POSITIVE" and out[1]["escalation"] == "none"
    assert "error" in out[2]
    sourdough = "The sourdough was wonderful, thank you so much for the lovely note in the box!"
    result = run("score", sourdough, "--config", str(EXAMPLE_CONFIG), data_dir=tmp_path)  # a message, no JSON
    (read,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and read["sentiment"] == "POSITIVE" and read["escalation"] == "none"
    eml = shared_file("email/ses/aws_docs_ses_received_sns_action_content.eml")
    result = run("inspect-email", str(eml), data_dir=tmp_path)
    info = json.loads(result.stdout)
    assert info["kind"] == "customer" and info["subject"] == "Example subject" and "sentiment" in info
    assert FIXTURES.is_dir()


def test_score_uses_the_engine_the_config_selects_and_degrades_without_aws(tmp_path: Path) -> None:
    config = tmp_path / "comprehend.json"
    config.write_text(json.dumps({**json.loads(EXAMPLE_CONFIG.read_text()),
                                  "sentiment": {"engine": "comprehend", "language": "en"}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WARMLINE_", "AWS_"))}
    env.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}", AWS_ACCESS_KEY_ID="x",
               AWS_SECRET_ACCESS_KEY="y", AWS_REGION="eu-west-1")  # nothing listens: Comprehend is "down"
    result = subprocess.run([*WARMLINE, "score", "--config", str(config)], cwd=ROOT, capture_output=True,
                            text=True, input=json.dumps({"text": "Awful service, I want a full refund"}) + "\n",
                            timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["degraded"] is True and line["sentiment"] == "NEGATIVE" and line["escalation"] != "none"
    assert "fallback to the local engine" in result.stderr


def test_the_worker_process_goes_when_serve_is_killed(tmp_path: Path, config: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLINE_")}
    with (tmp_path / "serve.log").open("w") as output:
        proc = subprocess.Popen([*WARMLINE, "serve", "--config", str(config), "--data-dir", str(tmp_path / "data"),
                                 "--port", str(port), "--tick-seconds", "0.2"], cwd=ROOT, env=env, stdout=output,
                                stderr=subprocess.STDOUT)
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        assert wait_for(lambda: children.read_text().split(), timeout=30), "serve started no worker process"
        (worker,) = (int(pid) for pid in children.read_text().split())

        def healthy() -> bool:
            try:
                return requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok
            except requests.ConnectionError:
                return False

        assert wait_for(healthy, timeout=30)
    finally:
        proc.kill()  # kill -9: serve cannot stop its worker itself
        proc.wait()
    assert wait_for(lambda: not Path(f"/proc/{worker}").exists()
                    or "zombie" in Path(f"/proc/{worker}/status").read_text().lower(), timeout=30)
