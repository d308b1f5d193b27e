"""The admin page where a counsellor invites a young person to book with them: a link
by e-mail or SMS, through booking.services.invitations; and
the invitations sent lately, with what became of their message (sent, retried, an
SMS delivered or not) and whether they were used. A manager invites for any
counsellor of the structure."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from booking import services
from booking.models import Format, Invitation, of_structure
from booking.services.invitations import invite

from .base import RestrictedViewSet
from .front_desk import desk_counsellors, may_book_for_someone
from .permissions import counsellor_of, is_manager

RECENT = 20


class InvitationForm(forms.Form):
    counsellor = forms.ModelChoiceField(label=_("With"), queryset=None)
    format = forms.ModelChoiceField(label=_("Meeting format"), queryset=None)
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The link works once, for 10 days, and opens your free times only."),
    )

    def __init__(self, *args, user, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.fields["counsellor"].queryset = desk_counsellors(user, structure)
        self.fields["format"].queryset = Format.objects.filter(active=True, structure=structure)

    def clean_contact(self):
        """A number only where the structure sends SMS; the service reads it as a mobile."""
        contact = self.cleaned_data["contact"].strip()
        if "@" not in contact and not self.structure.sends_sms:
            raise forms.ValidationError(
                _("This structure sends no text messages: please give an e-mail address.")
            )
        return contact


def message_state(invitation):
    """Its message's state, as the outbox knows it (prefetched)."""
    messages_sent = list(invitation.notifications.all())
    return messages_sent[0].state_display() if messages_sent else _("Not sent")


def recent_invitations(user, structure):
    """The structure's latest invitations: everyone's for a manager, else one's own."""
    invitations = (
        of_structure(Invitation.objects.all(), structure)
        .select_related("counsellor", "format")
        .prefetch_related("notifications")
    )
    if not is_manager(user):
        invitations = invitations.filter(counsellor=counsellor_of(user))
    return invitations[:RECENT]


class InvitationView(WagtailAdminTemplateMixin, FormView):
    template_name = "booking/admin/invitations.html"
    page_title = _("Invite someone to book")
    header_icon = "mail"
    form_class = InvitationForm

    def dispatch(self, request, *args, **kwargs):
        if not may_book_for_someone(request.user, request.structure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        own = counsellor_of(self.request.user)
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "structure": self.request.structure,
            "initial": {"counsellor": own.pk} if own else {},
        }

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitations"] = [
            (invitation, message_state(invitation))
            for invitation in recent_invitations(self.request.user, self.request.structure)
        ]
        context["now"] = timezone.now()
        return context

    def form_valid(self, form):
        try:
            invite(**form.cleaned_data, created_by=self.request.user)
        except services.InvalidDetails as error:
            form.add_error(error.field if error.field in form.fields else "contact", error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The invitation is on its way."))
        return redirect(INVITATIONS.get_url_name("index"))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class InvitationViewSet(RestrictedViewSet):
    name = "booking_invitations"
    url_prefix = "booking/invitations"
    icon = "mail"
    menu_label = _("Invitations")

    def may_use(self, user):
        return is_manager(user) or counsellor_of(user) is not None

    def get_urlpatterns(self):
        return [path("", InvitationView.as_view(), name="index")]


INVITATIONS = InvitationViewSet()
