"""The JSON API at /api/v1: bearer tokens, the same access rules as the pages, JSON errors.

The OpenAPI document is at /api/v1/openapi.json and the browsable docs at /api/v1/docs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from selfdirect.api import assessments, budgets, people, plans, returns, reviews, support
from selfdirect.api.auth import BearerToken
from selfdirect.api.errors import Conflict, Refused, body, location
from selfdirect.assessments.services import EditConflict

api = NinjaAPI(
    title="selfdirect API",
    version="1",
    description=(
        "Self-directed support: people, requests for support, assessments, budgets, plans, "
        "services and reviews. Authenticate with `Authorization: Bearer <token>` (made with "
        "`selfdirect token create --user USERNAME`). A token acts as its user: the same "
        "roles and relationships decide what it may see, and every call is audited. Errors "
        "are JSON: `detail`, and `errors` with a `field` and `message` for each problem."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("", people.router)
api.add_router("", assessments.router)
api.add_router("", budgets.router)
api.add_router("", plans.router)
api.add_router("", support.router)
api.add_router("", reviews.router)
api.add_router("", returns.router)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, body("Send a valid token: Authorization: Bearer <token>"), status=401
    )


@api.exception_handler(SchemaValidationError)
def _invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors = [
        (location(error.get("loc", ())), str(error.get("msg", "Not valid"))) for error in exc.errors
    ]
    return api.create_response(request, body("Some values are not valid", errors), status=422)


@api.exception_handler(ValidationError)
def _refused_values(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            ("" if field == "__all__" else field, str(message))
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [("", str(message)) for message in exc.messages]
    detail = errors[0][1] if len(errors) == 1 else "Some values are not acceptable"
    return api.create_response(request, body(detail, errors), status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, body("Not found"), status=404)


@api.exception_handler(PermissionDenied)
@api.exception_handler(Refused)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, body(str(exc) or "You may not do this with your role"), status=403
    )


@api.exception_handler(Conflict)
@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = str(exc) or "Someone else changed this record: read it again, then retry"
    return api.create_response(request, body(detail), status=409)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, body(str(exc)), status=exc.status_code)
