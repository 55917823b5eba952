"""`POST /api/inbound/`: channel connectors deliver inbound contacts (see docs/api.md for the contract).

Token-authenticated (`Authorization: Bearer <token>`), JSON in and out. One
contact per request, or a batch `{"contacts": [...]}` of up to 100 whose items
are recorded one by one (each in its own transaction) and answered together
with 207 Multi-Status. The checks run in this order, each with its own status:
405 (not POST), 401/403 (token), 415 (not JSON), 413 (too big), 400 (malformed
JSON or invalid fields); 409 when the data is in the way (a loop of merged
profiles). Recording is `intake.services.contacts.record_contact`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from intake.inbound import check_contact
from intake.json_bodies import error_response, parse_json
from intake.services.contacts import IntakeResult, record_contact
from profiles.errors import InvalidContact
from zdusers.errors import DomainError, TokenRefused
from zdusers.services.api_tokens import authenticate_bearer

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_BATCH = 100
# What a contact may carry; anything else is refused, so a misspelt field never drops data silently.
FIELDS = ("channel", "contact_point", "source_ref", "occurred_at", "name", "subject", "summary", "identities")
REQUIRED = ("channel", "contact_point", "source_ref")
_TEXT_FIELDS = ("name", "subject", "summary")
_DID_YOU_MEAN = {
    "body": "summary",
    "message": "summary",
    "text": "summary",
    "from": "contact_point",
    "id": "source_ref",
}


@csrf_exempt  # no cookies, no session: a bearer token authenticates each request
@login_not_required
def inbound(request: HttpRequest) -> JsonResponse:
    """Record one inbound contact (201 created, 200 replay, 400 invalid) or a batch (207, per-item statuses)."""
    if request.method != "POST":
        response = error_response(405, "method_not_allowed", f"Use POST to deliver contacts (got {request.method}).")
        response["Allow"] = "POST"
        return response
    try:
        authenticate_bearer(authorization=request.headers.get("Authorization"))
    except TokenRefused as refusal:
        response = error_response(
            refusal.status, "unauthorized" if refusal.status == 401 else "forbidden", refusal.message
        )
        if refusal.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="zdusers"'
        return response
    if request.content_type != "application/json":
        got = request.content_type or "none"
        return error_response(
            415, "unsupported_media_type", f"Send the body as JSON with Content-Type: application/json (got {got})."
        )
    charset = request.content_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        return error_response(415, "unsupported_media_type", f"JSON must be encoded as UTF-8 (got charset={charset}).")
    length = _content_length(request)
    if length > MAX_BODY_BYTES:
        return error_response(
            413,
            "payload_too_large",
            f"The body is {length:,} bytes; the limit is {MAX_BODY_BYTES:,} bytes. Send fewer contacts per request.",
        )
    payload, problem = parse_json(request.body)
    if problem:
        return error_response(400, "malformed_json", problem)
    if not isinstance(payload, dict):
        return _invalid([("", f"The body must be a JSON object, not {_json_type(payload)}.")])
    if "contacts" in payload:
        return _batch(payload)
    status, body = _deliver(payload)
    return JsonResponse(body, status=status)


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _batch(payload: dict) -> JsonResponse:
    if len(payload) > 1:
        others = ", ".join(sorted(key for key in payload if key != "contacts"))
        return _invalid([("", f'Send either one contact or {{"contacts": [...]}}, not both (also got: {others}).')])
    items = payload["contacts"]
    if not isinstance(items, list):
        return _invalid([("contacts", f"contacts must be a list of contacts, not {_json_type(items)}.")])
    if not items:
        return _invalid([("contacts", "contacts is empty; send at least one contact.")])
    if len(items) > MAX_BATCH:
        return _invalid([("contacts", f"A batch holds at most {MAX_BATCH} contacts (got {len(items)}); split it.")])
    results = []
    for index, item in enumerate(items):
        status, body = _deliver(item)
        # Each item: its index, the status it would have had alone, and the body it would have had alone.
        results.append({"index": index, "status": status, **body})
    summary = {
        "created": sum(1 for r in results if r["status"] == 201),
        "replayed": sum(1 for r in results if r["status"] == 200),
        "invalid": sum(1 for r in results if r["status"] == 400),
        "failed": sum(1 for r in results if r["status"] == 409),
    }
    return JsonResponse({"results": results, **summary}, status=207)


def _deliver(item: Any) -> tuple[int, dict]:
    """Record one contact: (HTTP status, body) for it."""
    if not isinstance(item, dict):
        return 400, _errors_body([("", f"A contact must be a JSON object, not {_json_type(item)}.")])
    arguments, errors = _arguments(item)
    try:
        if errors:
            # Also report what is wrong with the fields that were well-formed, all in one answer.
            check_contact(**arguments)
            return 400, _errors_body(errors)
        result = record_contact(**arguments)
    except InvalidContact as invalid:
        reported = [field for field, _ in errors]
        errors += [(field, text) for field, text in invalid.errors if not _covered(field, reported)]
        return 400, _errors_body(errors)
    except DomainError as refusal:  # the data, not the request, is in the way (e.g. a loop of merged profiles)
        return 409, {"error": "conflict", "message": refusal.message}
    return (201 if result.created_contact else 200), _result_body(result)


def _covered(field: str, reported: list[str]) -> bool:
    """Whether `field` (e.g. identities[1].kind) is, or is inside, a field already reported."""
    return any(field == other or field.startswith((f"{other}.", f"{other}[")) for other in reported)


def _arguments(item: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The keyword arguments of record_contact() from a JSON contact; shape errors (types, missing fields)."""
    errors: list[tuple[str, str]] = []
    for key in item:
        if key not in FIELDS:
            hint = f" (did you mean {_DID_YOU_MEAN[key]}?)" if key in _DID_YOU_MEAN else ""
            errors.append((key, f"Unknown field {key!r}{hint}; a contact has {', '.join(FIELDS)}."))
    for key in REQUIRED:
        if item.get(key) in (None, ""):
            errors.append((key, f"{key} is required."))
    arguments: dict[str, Any] = {}
    for key in ("channel", "contact_point", "source_ref"):
        value = item.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and key != "channel":
            value = str(value)  # numeric message ids and phone numbers, written as JSON numbers
        if value not in (None, "") and not isinstance(value, str):
            errors.append((key, f"{key} must be a string, not {_json_type(value)}."))
        arguments[key] = value
    for key in _TEXT_FIELDS:
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            errors.append((key, f"{key} must be a string, not {_json_type(value)}."))
        elif value is not None:
            arguments[key] = value
    occurred_at = item.get("occurred_at")
    if occurred_at is not None:
        parsed = _parse_time(occurred_at)
        if parsed is None:
            errors.append(
                (
                    "occurred_at",
                    "occurred_at must be an ISO 8601 time with an offset, "
                    f"e.g. 2026-11-25T14:03:00Z (got {occurred_at!r}).",
                )
            )
        arguments["occurred_at"] = parsed
    identities = item.get("identities")
    if identities is not None:
        arguments["identities"] = _identities(identities, errors)
    return arguments, errors


def _identities(value: Any, errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        errors.append(
            ("identities", f'identities must be a list of {{"kind", "value"}} objects, not {_json_type(value)}.')
        )
        return []
    pairs = []
    for index, entry in enumerate(value):
        field = f"identities[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"kind", "value"}:
            errors.append((field, f"{field} must be an object with exactly the keys kind and value."))
            pairs.append((None, None))  # keeps the positions of the others
            continue
        kind, raw = entry["kind"], entry["value"]
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(kind, str):
            errors.append((f"{field}.kind", f"{field}.kind must be a string, not {_json_type(kind)}."))
        elif not isinstance(raw, str):
            errors.append((f"{field}.value", f"{field}.value must be a string, not {_json_type(raw)}."))
        pairs.append((kind, raw))
    return pairs


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


def _result_body(result: IntakeResult) -> dict:
    return {
        "result": "created" if result.created_contact else "replay",
        "user_id": result.user_id,
        "contact_id": result.contact_id,
        "created_user": result.created_user,
        "conflicts": [
            {
                "kind": conflict.kind,
                "value": conflict.normalized,
                "owner_id": conflict.owner_id,
                "owner_name": conflict.owner_name,
            }
            for conflict in result.conflicts
        ],
    }


def _errors_body(errors: list[tuple[str, str]]) -> dict:
    return {"error": "invalid", "errors": [{"field": field, "message": message} for field, message in errors]}


def _invalid(errors: list[tuple[str, str]]) -> JsonResponse:
    return JsonResponse(_errors_body(errors), status=400)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
