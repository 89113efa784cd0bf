"""Browser tests: Playwright for Python driving Debian's chromium against a live local Warmline.

Playwright's own browser download is not used (and not reachable here): Chromium comes from
`apt-get install -y chromium` (.ci/run installs it). Without it these tests skip with one loud
reason, unless WARMLINE_REQUIRE_BROWSER=1 (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services, build
from chalicelib.config.loader import load_data
from tests.conftest import EXAMPLE_CONFIG, TEST_SECRETS, example_config_data

CHROMIUM = os.environ.get("WARMLINE_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _require_chromium() -> None:
    if Path(CHROMIUM).is_file():
        return
    message = (f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (install it with 'apt-get install -y chromium')")
    if os.environ.get("WARMLINE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; WARMLINE_REQUIRE_BROWSER=1 makes this a failure", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    url: str
    services: Services

    def tick(self) -> None:
        self.services.extras["runner"].run_once()
        self.services.extras["alert_budget"].flush()


def live_server(tmp_path: Path, **config: Any) -> Iterator[Live]:
    from chalice.config import Config
    from chalice.local import create_local_server

    import app as app_module

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    data = example_config_data(**config)
    data["owner"] = {**data["owner"], "review_base_url": url}
    services = build(load_data(data, EXAMPLE_CONFIG.parent), mode="local", data_dir=tmp_path / "data",
                     environ=TEST_SECRETS, echo=lambda _text: None)
    app_module.use(services)
    original_class = app_module.app.__class__  # chalice.local swaps the app's class: put it back after
    server = create_local_server(app_module.app, Config.create(chalice_app=app_module.app), "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(url, services)
    finally:
        server.shutdown()
        server.server.server_close()
        app_module.app.__class__ = original_class
        app_module.use(None)
        services.extras["db"].close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    yield from live_server(tmp_path)


@pytest.fixture
def live_pilot(tmp_path: Path) -> Iterator[Live]:
    yield from live_server(tmp_path, pilot=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []
    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs  # any alert() a page script managed to run
    try:
        yield page
    finally:
        context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
