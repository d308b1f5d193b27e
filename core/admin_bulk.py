"""Wagtail's bulk action pages (/admin/bulk/<app>/<model>/<action>/?id=…), given only
ids that are ids.

Wagtail hands every `id` to `pk__in`, and a page bulk action's `childOf` to
`get(id=…)`, so `?id=`, `?id=abc`, a number beyond the database's integers or an
unknown `childOf` was a 500 on every bulk page (pages, images, documents, users,
snippets). Here each id is parsed by the model's own primary key field and the malformed
ones are dropped, as Wagtail already ignores ids of rows that do not exist (and answers
404 when none is left); a `childOf` that is no page is a 404.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action
from wagtail.models import Page

ALL = "all"  # Wagtail's "every row of the listing"


def is_pk(field, value):
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


@require_admin_access
def bulk_action(request, app_label, model_name, action):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    query = request.GET.copy()
    pk = model._meta.pk
    query.setlist(
        "id", [value for value in query.getlist("id") if value == ALL or is_pk(pk, value)]
    )
    parent = query.get("childOf")
    if parent is not None and not (
        is_pk(Page._meta.pk, parent) and Page.objects.filter(pk=parent).exists()
    ):
        raise Http404
    request.GET = query
    return wagtail_bulk_action(request, app_label, model_name, action)
