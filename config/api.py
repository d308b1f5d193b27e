"""The site's JSON API, assembled from the apps' routers; config/urls.py mounts it at
/api/v1/."""

from django.conf import settings
from ninja import NinjaAPI

from booking.api import errors as booking_errors
from booking.api import router as booking_api

api = NinjaAPI(
    title="Passerelle — rendez-vous",
    version="1",
    description=booking_api.__doc__,
    urls_namespace="api-v1",
    # ninja serves its Swagger page from its own static files only when "ninja" is an
    # installed app; otherwise it would load it from a CDN, so there is no page then.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
booking_errors.register(api)
api.add_router("", booking_api.router)
