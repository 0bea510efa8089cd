"""Acceptance: the demo command serves real affiliates and prints a working administrator login."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.clitools import cli_env

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_affiliates_and_the_printed_admin_login_works(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "partnernet.cli", "demo", "--port", str(port)],
            env=cli_env(tmp_path / "data"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("demo did not serve within 120 s:\n" + log.read_text())
        home = httpx.get(base + "/")
        assert "Latest activity" in home.text
        directory = httpx.get(base + "/directory/entities/", params={"q": "Wikimedia Germany"})
        assert "Wikimedia Germany" in directory.text
        css = httpx.get(base + "/static/partnernet/css/partnernet.css")
        assert css.status_code == 200
        match = re.search(r"as (\S+) with password: (\S+)", log.read_text())
        assert match, log.read_text()
        username, password = match.groups()
        with httpx.Client(base_url=base, follow_redirects=False) as browser:
            login = browser.get("/admin/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
            assert token
            answer = browser.post(
                "/admin/login/?next=/admin/",
                data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
                headers={"referer": base + "/admin/login/"},
            )
            assert answer.status_code == 302
            assert answer.headers["location"] == "/admin/"
            admin = browser.get("/admin/directory/entity/?q=Sweden")
            assert admin.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
