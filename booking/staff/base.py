"""What every viewset of the "Appointments" menu shares: rows narrowed to the structure
of the site the admin is used on, and by the permission policies
(booking.staff.permissions), everywhere a row can be reached (listings, choices in
forms, every view taking a pk: another structure's or another counsellor's pk gives
404). New rows belong to that structure. Dates are written by core.dates, in the
structure's time zone whatever the user's."""

from django import forms
from django.core.exceptions import PermissionDenied
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

from booking.models import Counsellor, has_structure, of_structure

from .permissions import MANAGER_PERMISSION, works_for

ANY_ACTION = ["add", "change", "delete", "view"]


def of_the_request(queryset, request):
    """The rows of the request's structure, for a model that has one; none for a user
    who does not work for it."""
    if not has_structure(queryset.model):
        return queryset
    if not works_for(request.user, request.structure):
        return queryset.none()
    return of_structure(queryset, request.structure)


class OwnObjectMixin:
    """404 for an object the user may not touch, whatever pk the URL says."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        theirs = not of_the_request(self.model.objects.filter(pk=instance.pk), self.request)
        if theirs or not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ANY_ACTION, instance
        ):
            raise Http404
        return instance


class StructureChoicesMixin:
    """Forms offer only the structure's rows (places, formats, counsellors...). What a
    row links to in other structures (a counsellor's formats there) is not shown, and
    is kept when the form is saved."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        self.kept_elsewhere = {}
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            shown = of_the_request(field.queryset, self.request)
            if isinstance(field, forms.ModelMultipleChoiceField) and form.instance.pk:
                linked = getattr(form.instance, name).all()
                self.kept_elsewhere[name] = list(linked.exclude(pk__in=shown.values("pk")))
            field.queryset = shown
        return form

    def save_instance(self):
        instance = super().save_instance()
        for name, rows in self.kept_elsewhere.items():
            getattr(instance, name).add(*rows)
        return instance


class CreateView(StructureChoicesMixin, snippet_views.CreateView):
    """The new row belongs to the structure of the site the admin is used on, added by
    someone who works for it."""

    def dispatch(self, request, *args, **kwargs):
        if not works_for(request.user, request.structure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        if any(field.name == "structure" for field in self.model._meta.fields):
            instance.structure = self.request.structure
        return instance

    def save_instance(self):
        instance = super().save_instance()
        if isinstance(instance, Counsellor):
            instance.structures.add(self.request.structure)
        return instance


class EditView(OwnObjectMixin, StructureChoicesMixin, snippet_views.EditView):
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
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    history_view_class = HistoryView
    usage_view_class = UsageView
    list_select_related = ()

    def get_queryset(self, request):
        policy = policy_registry.get_by_type(self.model)
        rows = policy.instances_user_has_any_permission_for(request.user, ANY_ACTION)
        return of_the_request(rows, request).select_related(*self.list_select_related)


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
