"""The site's JSON API, assembled from the apps' routers; config/urls.py mounts it at
/api/v1/, its OpenAPI description at /api/v1/openapi.json and ninja's Swagger UI, from
its own static files ("ninja" is an installed app), at /api/v1/docs."""

from ninja import NinjaAPI, Swagger

from booking.api import errors as booking_errors
from booking.api import router as booking_api


class PasserelleAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """ninja lists the partner's key as required; it is optional (booking.api.auth),
        which OpenAPI says with an empty requirement beside it."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security") and {} not in operation["security"]:
                    operation["security"].append({})
        return schema


api = PasserelleAPI(
    title="Passerelle — rendez-vous",
    version="1",
    description=booking_api.__doc__,
    urls_namespace="api-v1",
    docs_url="/docs",
    # Without deep links: Swagger UI puts each one inside the operation's button, a link
    # in a button, which screen readers and keyboards cannot tell apart (axe's
    # nested-interactive).
    docs=Swagger(settings={"deepLinking": False}),
)
booking_errors.register(api)
api.add_router("", booking_api.router)
