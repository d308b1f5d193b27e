from django.conf import settings
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from core import admin_bulk
from core.health import healthz
from search import views as search_views
from structures.middleware import structure_exempt

urlpatterns = [
    # Before Wagtail's own route of the same address, which it still reverses to.
    path("admin/bulk/<str:app_label>/<str:model_name>/<str:action>/", admin_bulk.bulk_action),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", search_views.search, name="search"),
    path("rendez-vous/", include("booking.web.urls")),
    path("r/", include("booking.web.short_urls")),
    path("journees/", include("eventdays.urls")),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("healthz", structure_exempt(healthz), name="healthz"),
    path(
        "robots.txt",
        structure_exempt(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain")
        ),
        name="robots_txt",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
