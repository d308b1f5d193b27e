"""The API's errors, in one shape and in French: 422 `{"errors": {"field": ["message"]}}`
for anything wrong in the request, `{"detail": "message"}` otherwise."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import HttpError, ValidationError

from .auth import BadKey


class RequestError(Exception):
    """Something wrong in the request, reported as 422 {"errors": {field: [message]}}."""

    def __init__(self, errors):
        self.errors = {
            field: [str(message) for message in messages] for field, messages in errors.items()
        }
        super().__init__(self.errors)


def field_error(field, message):
    return RequestError({field: [message]})


FIELD_HINTS = {
    "start": gettext_lazy("Give a date in the form YYYY-MM-DD, or a time in ISO 8601."),
    "end": gettext_lazy("Give a date in the form YYYY-MM-DD."),
    "consent": gettext_lazy(
        "Send true once the young person has agreed to how their details are used."
    ),
    "counsellor": gettext_lazy("Give a counsellor's slug, or “any”."),
    "format": gettext_lazy("Give a meeting format's slug."),
    "place": gettext_lazy("Give a place's id (a whole number)."),
}


def register(api):
    """Install the handlers on the NinjaAPI that mounts the booking router."""

    @api.exception_handler(RequestError)
    def request_error(request, exc):
        return api.create_response(request, {"errors": exc.errors}, status=422)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        """ninja's (pydantic's) refusals, in the same shape and language as ours."""
        errors = {}
        for error in exc.errors:
            names = [part for part in error["loc"] if isinstance(part, str)]
            field = names[-1] if len(names) > 2 or names[:1] == ["query"] else "body"
            if field == "body":
                message = _("Send a JSON object with the fields described in the documentation.")
            elif error["type"] == "missing":
                message = _("This field is required.")
            else:
                message = FIELD_HINTS.get(field, _("This value is not valid."))
            errors.setdefault(field, []).append(str(message))
        return api.create_response(request, {"errors": errors}, status=422)

    @api.exception_handler(BadKey)
    def bad_key(request, exc):
        response = api.create_response(request, {"detail": str(exc.message)}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)
