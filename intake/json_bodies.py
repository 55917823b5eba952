"""Reading a JSON request body and answering in JSON, for the inbound API and the channel webhooks alike."""

from __future__ import annotations

import json
from typing import Any

from django.http import JsonResponse


def parse_json(body: bytes, *, expected: str = "send") -> tuple[Any, str]:
    """The JSON value of `body`, or a sentence saying why it is not JSON.

    `expected` starts the advice on what to send ("send", or "Meta sends" for a provider's webhook).
    NaN and Infinity are refused: they are not JSON, and no field takes them.
    """
    if not body.strip():
        return None, f"The body is empty; {expected} a JSON object."
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"The body is not UTF-8 (byte {error.start}); {expected} JSON encoded as UTF-8."
    try:
        return json.loads(text, parse_constant=_refuse_constant), ""
    except json.JSONDecodeError as error:
        return None, f"The body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
    except ValueError as error:
        return None, f"The body is not valid JSON: {error}."
    except RecursionError:
        return None, "The body is not valid JSON: it is nested too deeply."


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def error_response(status: int, code: str, message: str) -> JsonResponse:
    """`{"error": code, "message": message}` with `status`: what a connector's log should show."""
    return JsonResponse({"error": code, "message": message}, status=status)
