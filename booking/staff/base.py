"""What every viewset of the "Appointments" menu shares: rows narrowed by the permission
policies (booking.staff.permissions) everywhere a row can be reached (listings, every
view taking a pk: another counsellor's pk gives 404). Dates are written by core.dates,
in the structure's time zone whatever the user's."""

from django import forms
from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import cached_property, classproperty
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .permissions import MANAGER_PERMISSION

ANY_ACTION = ["add", "change", "delete", "view"]


class OwnObjectMixin:
    """404 for an object the user may not touch, whatever pk the URL says."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ANY_ACTION, instance
        ):
            raise Http404
        return instance


class EditView(OwnObjectMixin, snippet_views.EditView):
    pass


class DeleteView(OwnObjectMixin, snippet_views.DeleteView):
    pass


class InspectView(OwnObjectMixin, snippet_views.InspectView):
    pass


class HistoryView(OwnObjectMixin, snippet_views.HistoryView):
    pass


class UsageView(OwnObjectMixin, snippet_views.UsageView):
    pass


def still_used(instances):
    """Whether something protects these rows from deletion: bookings keep their
    counsellor, format, place and session; opening hours their place."""
    if not instances:
        return False
    try:
        Collector(using=router.db_for_write(type(instances[0]))).collect(list(instances))
    except (ProtectedError, RestrictedError):
        return True
    return False


class BookingSnippetViewSet(SnippetViewSet):
    """Listings narrowed by the policy, pk views guarded, no copying."""

    copy_view_enabled = False
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    history_view_class = HistoryView
    usage_view_class = UsageView
    list_select_related = ()

    def get_queryset(self, request):
        policy = policy_registry.get_by_type(self.model)
        rows = policy.instances_user_has_any_permission_for(request.user, ANY_ACTION)
        return rows.select_related(*self.list_select_related)


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk deletion (/admin/bulk/booking/<model>/delete/?id=…) among the rows
    the listing shows the user. Wagtail lists the rows one may not delete by their
    labels (whose absence, whose booking, when), to any admin user: here another
    counsellor's rows are not found at all, as on every view taking a pk."""

    @classproperty
    def models(cls):
        return [
            model
            for model in get_snippet_models()
            if isinstance(model.snippet_viewset, BookingSnippetViewSet)
        ]

    def get_queryset(self, model, object_ids):
        return get_list_or_404(model.snippet_viewset.get_queryset(self.request), pk__in=object_ids)


class CounsellorOwnedViewSet(BookingSnippetViewSet):
    """For rows that belong to one counsellor: no chooser, since it would list everyone's
    and nothing needs to choose these rows."""

    list_select_related = ("counsellor",)

    def register_chooser_viewset(self):
        pass


def counsellor_panel():
    return FieldPanel("counsellor", permission=MANAGER_PERMISSION, widget=forms.Select)


class RestrictedViewSet(ViewSet):
    """An admin section of plain views, in the menu only for the users `may_use` lets in,
    as Wagtail's ModelViewSet builds its menu item from the permission policy. The views
    check `may_use` too."""

    def may_use(self, user):
        raise NotImplementedError

    @cached_property
    def menu_item_class(self):
        def is_shown(_item, request):
            return self.may_use(request.user)

        return type(f"{type(self).__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})
