"""The deployment of docs/DEPLOY.md on loopback: the shipped nginx site in front of ``partnernet serve``.

nginx (Debian's) terminates TLS with a self-signed certificate for ``localhost`` and proxies to gunicorn on
loopback, exactly as ``deploy/nginx/partnernet.conf`` says, with only its names, ports and paths changed for
a throwaway folder. Checked: HTTPS pages are served (the proxy's ``X-Forwarded-Proto`` is trusted, HSTS is
sent), plain HTTP is redirected, ``/healthz`` answers on plain HTTP from the machine, and the instance
publishes its HTTPS base URL.
"""

from __future__ import annotations

import os
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

pytestmark = pytest.mark.slow
DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_config(tmp: Path, app_port: int, http_port: int, https_port: int) -> str:
    text = (DEPLOY / "nginx" / "partnernet.conf").read_text()
    lines = [line for line in text.splitlines() if "listen [::]" not in line]
    text = "\n".join(lines)
    for old, new in [
        ("/etc/letsencrypt/live/partnernet.example.org/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/partnernet.example.org/privkey.pem", str(tmp / "key.pem")),
        ("partnernet.example.org", "localhost"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/var/log/nginx/", f"{tmp}/"),
        ("root /var/www/html;", f"root {tmp};"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    return text


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2, verify=False)  # noqa: S501 - a self-signed certificate on loopback
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer")


def test_nginx_and_serve_on_loopback(tmp_path: Path) -> None:
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        skip_unless_ci("nginx and openssl are needed (apt-get install nginx-light openssl)")
    data = tmp_path / "data"
    data.mkdir()
    assert run_cli(data, "migrate", "--no-input", "-v0").returncode == 0
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    base_url = f"https://localhost:{https_port}"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "site.conf").write_text(site_config(tmp_path, app_port, http_port, https_port))
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n"
        f"  client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    env = {**cli_env(data), "PARTNERNET_BASE_URL": base_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "partnernet.cli", "serve", "--port", str(app_port), "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    proxy = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz")
        wait_for(f"{base_url}/healthz")
        with httpx.Client(verify=False, timeout=30) as client:  # noqa: S501 - self-signed on loopback
            home = client.get(f"{base_url}/")
            assert home.status_code == 200
            assert "max-age=31536000" in home.headers["strict-transport-security"]
            plain = client.get(f"http://localhost:{http_port}/entities/")
            assert plain.status_code == 301
            assert plain.headers["location"] == "https://localhost/entities/"
            health = client.get(f"http://127.0.0.1:{http_port}/healthz")
            assert health.status_code == 200
            assert health.json()["database"]["ok"] is True
            assert client.get(f"{base_url}/.well-known/partnernet").json()["base_url"] == base_url
            login = client.get(f"{base_url}/accounts/login/")
            assert "__Host-csrftoken" in login.headers.get("set-cookie", "")
    finally:
        proxy.terminate()
        server.terminate()
        proxy.wait(timeout=30)
        server.wait(timeout=30)


def test_the_units_run_the_documented_verbs() -> None:
    web = (DEPLOY / "systemd" / "partnernet-web.service").read_text()
    worker = (DEPLOY / "systemd" / "partnernet-worker.service").read_text()
    assert "partnernet serve --port 8000" in web
    assert "partnernet worker" in worker
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/partnernet/partnernet.env" in unit
        assert "ReadWritePaths=/var/lib/partnernet" in unit
