from django.urls import path
from django.views.i18n import JavaScriptCatalog
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_recurrence_translations():
    """Serve django-recurrence's widget labels in the editor's language."""
    return [
        path(
            "events/recurrence-i18n/",
            JavaScriptCatalog.as_view(packages=["recurrence"]),
            name="events_recurrence_jsi18n",
        )
    ]
