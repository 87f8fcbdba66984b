"""Errors as JSON: one shape for every failure, with a message per field where there is one.

    {"detail": "What went wrong, in plain English",
     "errors": [{"field": "outcomes.0.unable_reason", "message": "..."}]}

400: the request could not be read; 401: no valid token; 403: the caller's role may not do
this; 404: not found, or no relationship with the person (nobody learns a record exists);
409: the record changed or is not in a state for this; 422: the values are not acceptable.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class ApiError(Schema):
    detail: str
    errors: list[FieldError] = []


# Every operation documents these; its success response is added beside them.
ERRORS: dict[int, Any] = {
    400: ApiError,
    401: ApiError,
    403: ApiError,
    404: ApiError,
    409: ApiError,
    422: ApiError,
}


class Conflict(Exception):
    """The record is not in a state for this (409)."""


class Refused(Exception):
    """The caller's role may not do this (403)."""


def body(detail: str, errors: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors or []],
    }


def location(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "payload", "outcomes", 0, "risk")` → `outcomes.0.risk`."""
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "query", "path", "payload", "data"}:
        parts = parts[1:]
    return ".".join(parts)
