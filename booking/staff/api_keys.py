"""Partner sites' API keys, for the structure's managers: see who uses the API and when
a key was last used, rename or revoke one. Keys are made by `create_api_key`, which
shows each once; they are never deleted, since bookings keep which key made them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList

from booking.models import ApiKey

from .base import BookingSnippetViewSet


class ApiKeyForm(WagtailAdminModelForm):
    def clean_revoked(self):
        """A key that leaked must not come back by a click."""
        if self.instance.revoked and not self.cleaned_data["revoked"]:
            raise ValidationError(
                _("A revoked key stays revoked. Make a new one with create_api_key.")
            )
        return self.cleaned_data["revoked"]


class ApiKeyViewSet(BookingSnippetViewSet):
    model = ApiKey
    icon = "key"
    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("revoked")], base_form_class=ApiKeyForm
    )

    def register_chooser_viewset(self):
        pass
