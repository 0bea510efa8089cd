"""The one JSON error shape of FORMATS.md, ``{"error": {"code", "message", "fields"}}``, for every layer that
answers HTTP with JSON (the API, federation's inbox and feed), so they cannot drift apart."""

from __future__ import annotations

from typing import Any


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
