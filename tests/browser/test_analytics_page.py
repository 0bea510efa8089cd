"""The analytics page in a real browser: graph, heatmap and trend charts draw, with no script errors."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.clitools import cli_env, run_cli
from tests.conftest import skip_unless_ci

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_graph_heatmap_and_trend_charts_render(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        skip_unless_ci("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    data = tmp_path / "data"
    assert run_cli(data, "seed", "--demo").returncode == 0
    snapshot = run_cli(data, "analyze", "--snapshot")
    assert snapshot.returncode == 0, snapshot.stderr
    port = free_port()
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "partnernet.cli", "serve", "--port", str(port)],
            env=cli_env(data),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/analytics/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer:\n" + (tmp_path / "serve.log").read_text())
        errors: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(base + "/analytics/")
            page.wait_for_function("document.querySelector('[data-pn-graph]').pnCytoscape !== undefined")
            nodes = page.evaluate("document.querySelector('[data-pn-graph]').pnCytoscape.nodes().length")
            coloured = page.evaluate(
                "document.querySelector('[data-pn-graph]').pnCytoscape.nodes('[id]').filter("
                "n => n.classes().some(c => c.startsWith('group-'))).length"
            )
            charts = page.evaluate("Object.keys(window.Chart.instances).length")
            cells = page.locator("table.pn-matrix td").count()
            browser.close()
        assert nodes > 0
        assert coloured > 0
        assert charts == 3
        assert cells > 0
        assert errors == []
    finally:
        server.terminate()
        server.wait(timeout=30)
