"""Young people's personal data, for managers: find, export and erase
(booking.services.privacy)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from booking import services
from booking.models import Booking, YoungPerson
from booking.services import privacy
from core.dates import local_when
from structures.models import Structure

from .base import RestrictedViewSet
from .permissions import may_handle_personal_data, works_for


class PersonalDataMixin:
    """Only for those who may erase young people (booking.staff.permissions)."""

    def get_breadcrumbs_items(self):
        find = {"url": reverse(PERSONAL_DATA.get_url_name("find")), "label": _("Personal data")}
        return [*self.breadcrumbs_items, find, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not may_handle_personal_data(request.user):
            raise PermissionDenied
        if not works_for(request.user, request.structure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_person(self):
        """Only a person of the structure being administered: another's cannot be
        reached by guessing its id."""
        structure = Structure.for_request(self.request)
        return get_object_or_404(YoungPerson, pk=self.kwargs["pk"], structure=structure)


class FindPersonForm(forms.Form):
    contact = forms.CharField(label=_("E-mail address or mobile number"), max_length=254)


class FindPersonView(PersonalDataMixin, WagtailAdminTemplateMixin, FormView):
    """Searched by POST, so addresses and numbers stay out of URLs and access logs."""

    form_class = FindPersonForm
    template_name = "booking/admin/personal_data.html"
    page_title = _("Personal data")
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        try:
            structure = Structure.for_request(self.request)
            person = privacy.find_person(structure.pk, form.cleaned_data["contact"])
        except services.InvalidContact as error:
            form.add_error("contact", error.message)
            return self.form_invalid(form)
        context = self.get_context_data(form=form, searched=True, person=person)
        if person is not None:
            context["bookings"] = [
                (booking, local_when(booking.start))
                for booking in person.bookings.select_related("format", "place", "counsellor")
            ]
            context["export_url"] = reverse(PERSONAL_DATA.get_url_name("export"), args=[person.pk])
            context["erase_url"] = reverse(PERSONAL_DATA.get_url_name("erase"), args=[person.pk])
        return self.render_to_response(context)


class ExportPersonView(PersonalDataMixin, View):
    """Everything about one person, as a JSON file to hand over to them."""

    def get(self, request, pk):
        person = self.get_person()
        response = JsonResponse(
            privacy.export_person(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="donnees-{person.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class ErasePersonView(PersonalDataMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation, POST erases (booking.services.privacy.erase_person)."""

    template_name = "booking/admin/erase_person.html"
    page_title = _("Erase personal data")
    header_icon = "bin"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context["person"] = person
        context["bookings_count"] = person.bookings.count()
        context["upcoming_count"] = person.bookings.filter(
            status=Booking.Status.CONFIRMED, start__gt=timezone.now()
        ).count()
        context["find_url"] = reverse(PERSONAL_DATA.get_url_name("find"))
        return context

    def post(self, request, pk):
        kept = privacy.erase_person(self.get_person())
        messages.success(
            request,
            _("Personal data erased. %(count)s bookings are kept, without any name or contact.")
            % {"count": kept},
        )
        return redirect(PERSONAL_DATA.get_url_name("find"))


class PersonalDataViewSet(RestrictedViewSet):
    name = "booking_personal_data"
    url_prefix = "booking/personal-data"
    icon = "user"
    menu_label = _("Personal data")

    def may_use(self, user):
        return may_handle_personal_data(user)

    def get_urlpatterns(self):
        return [
            path("", FindPersonView.as_view(), name="find"),
            path("<int:pk>/export/", ExportPersonView.as_view(), name="export"),
            path("<int:pk>/erase/", ErasePersonView.as_view(), name="erase"),
        ]


PERSONAL_DATA = PersonalDataViewSet()
