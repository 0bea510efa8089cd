"""Hardening that holds for the whole application: CSP, no inline script, production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import partnernet

PACKAGE = Path(partnernet.__file__).parent


def _policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/docs", "/accounts/login/", "/api/v1/entities"])
def test_every_answer_carries_a_policy_without_inline_script_or_style(path: str) -> None:
    policy = _policy(Client().get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def _templates() -> list[Path]:
    return sorted(PACKAGE.rglob("templates/**/*.html"))


def test_no_template_has_inline_script_handlers_or_style_attributes() -> None:
    """What the policy forbids must not be in the templates in the first place (it would silently break)."""
    offenders = []
    for path in _templates():
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and 'type="application/json"' not in attributes:
                offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: inline event handler")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path.name}: style attribute")
    assert _templates()
    assert offenders == []


@pytest.mark.django_db
def test_api_docs_use_the_bundled_swagger_files_and_a_json_settings_block() -> None:
    page = Client().get("/api/docs").content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", page)
    assert scripts
    assert all('src="/static/' in attributes or "application/json" in attributes for attributes in scripts)
    init = Path(sys.modules["ninja"].__file__).parent / "static" / "ninja" / "swagger-ui-init.js"  # type: ignore[arg-type]
    assert "eval(" not in init.read_text()


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PARTNERNET_", "DATABASE_URL"))
    }
    env.update(
        PARTNERNET_DATA_DIR=str(tmp_path),
        PARTNERNET_BASE_URL="https://partnernet.example.org",
        DJANGO_SETTINGS_MODULE="partnernet.settings",
    )
    return env


@pytest.mark.slow
def test_check_deploy_is_clean_in_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_https_base_url_turns_on_secure_cookies_hsts_and_redirect(tmp_path: Path) -> None:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_NAME, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "31536000", "__Host-sessionid", "False"]
