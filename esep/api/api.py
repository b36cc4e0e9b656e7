"""The API root: /api/v1/, one router per app, errors always as a JSON body."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from esep.appeals.api import router as appeals_router
from esep.core.errors import ApplicationError
from esep.dashboard.api import router as dashboard_router
from esep.elections.api import router as elections_router
from esep.powers.api import router as powers_router
from esep.programs.api import router as programs_router
from esep.recall.api import router as recall_router
from esep.registries.api import router as registries_router
from esep.reports.api import router as reports_router
from esep.territory.api import router as territory_router
from esep.training.api import router as training_router

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "additionalProperties": True,
        }
    },
}


class EsepAPI(NinjaAPI):
    """Every operation documents the JSON error body that the handlers below give for 4xx answers."""

    def get_openapi_schema(self, *args: object, **kwargs: object) -> dict:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {
            "description": "Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("4XX", error)
        return schema


api = EsepAPI(
    title="Esep API",
    version="1",
    description="Open data and actions of Esep: territory, akims, programs, reports, requests, recall.",
    urls_namespace="api",
    docs_url="/docs",
)


def error_body(code: str, message: str, **extra: object) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, error_body(exc.code, str(exc.message), **exc.extra), status=400)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {"loc": [str(part) for part in error.get("loc", [])], "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return api.create_response(
        request, error_body("invalid_input", _("The request is not valid."), fields=fields), status=400
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "throttled"}
    return api.create_response(
        request, error_body(codes.get(exc.status_code, "error"), str(exc)), status=exc.status_code
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthenticated", _("Log in first.")), status=401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, error_body("forbidden", _("You do not have the right to do this.")), 403
    )


api.add_router("/", territory_router)
api.add_router("/", elections_router)
api.add_router("/", programs_router)
api.add_router("/", powers_router)
api.add_router("/", reports_router)
api.add_router("/", appeals_router)
api.add_router("/", registries_router)
api.add_router("/", recall_router)
api.add_router("/", training_router)
api.add_router("/", dashboard_router)
