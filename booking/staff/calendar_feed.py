"""The admin page where a counsellor makes (or remakes) the secret address of their
calendar feed (booking.calendars.feed) and chooses how they are told of their
appointments by e-mail (`Counsellor.told`); managers can do both for any counsellor.

Only a fingerprint of the address is stored, so the page shows the full address once,
in the answer to the POST that made it, and that answer is never cached.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from booking.calendars import feed
from booking.models import Counsellor, of_structure

from .base import RestrictedViewSet
from .permissions import counsellor_of, is_manager, works_for


class ToldForm(forms.ModelForm):
    class Meta:
        model = Counsellor
        fields = ["told"]
        widgets = {"told": forms.RadioSelect}


def may_manage_feeds(user):
    return is_manager(user) or counsellor_of(user) is not None


def feed_owner(user, requested, structure):
    """The counsellor whose feed `user` is looking at: their own, or for a manager the
    one asked for (`requested`, a pk from the query or the form; may be empty). A
    counsellor asking for someone else's gets a 404, like any other counsellor's row.
    A manager asking for no counsellor there is (`?counsellor=²`, `abc`, a deleted one)
    gets a ValidationError: a form field parses the value, so nothing reaches the
    database that is not a counsellor's pk."""
    own = counsellor_of(user)
    if not requested:
        return own
    if own is not None and str(own.pk) == requested:
        return own
    if not is_manager(user):
        raise Http404
    return forms.ModelChoiceField(of_structure(Counsellor.objects.all(), structure)).clean(
        requested
    )


class CalendarFeedView(WagtailAdminTemplateMixin, TemplateView):
    """GET explains and shows the state; POST makes a new address and shows it once, or
    saves how the counsellor is told (the form with `told`)."""

    template_name = "booking/admin/calendar_feed.html"
    page_title = _("My calendar feed")
    header_icon = "calendar-alt"
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_feeds(request.user) or not works_for(request.user, request.structure):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        requested = source.get("counsellor", "").strip()
        try:
            self.counsellor = feed_owner(request.user, requested, request.structure)
        except ValidationError:
            if request.method == "POST":  # a hidden field nobody typed in
                raise Http404 from None
            self.counsellor = None
            messages.error(
                request,
                _("No counsellor matches “%(value)s”: choose one from the list.")
                % {"value": requested},
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counsellor"] = self.counsellor
        context["is_own"] = self.counsellor is not None and self.counsellor == counsellor_of(
            self.request.user
        )
        if self.counsellor is not None:
            context.setdefault("told_form", ToldForm(instance=self.counsellor))
        if is_manager(self.request.user):
            counsellors = of_structure(Counsellor.objects.all(), self.request.structure)
            context["counsellors"] = counsellors.order_by("first_name", "slug")
        return context

    def post(self, request, *args, **kwargs):
        if self.counsellor is None:
            raise Http404
        if "told" in request.POST:
            return self.save_told(request)
        token = feed.issue_token(self.counsellor)
        links = feed.feed_links(token, request.structure)
        response = self.render_to_response(self.get_context_data(links=links))
        add_never_cache_headers(response)
        return response

    def save_told(self, request):
        form = ToldForm(request.POST, instance=self.counsellor)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(told_form=form))
        form.save()
        messages.success(
            request, _("Saved: %(told)s.") % {"told": self.counsellor.get_told_display()}
        )
        return redirect(f"{request.path}?counsellor={self.counsellor.pk}")


class CalendarFeedViewSet(RestrictedViewSet):
    name = "booking_calendar_feed"
    url_prefix = "booking/calendar-feed"
    icon = "calendar-alt"
    menu_label = _("My calendar feed")

    def may_use(self, user):
        return may_manage_feeds(user)

    def get_urlpatterns(self):
        return [path("", CalendarFeedView.as_view(), name="index")]


CALENDAR_FEED = CalendarFeedViewSet()
