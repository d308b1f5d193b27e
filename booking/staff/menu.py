"""The "Appointments" menu of the admin; each item shows only to those who may use it."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .api_keys import ApiKeyViewSet
from .availability import AbsenceViewSet, AvailabilityRuleViewSet, GroupSessionViewSet
from .bookings import BookingViewSet
from .calendar_feed import CALENDAR_FEED
from .clashes import CLASHES
from .external_agenda import ExternalCalendarViewSet
from .invitations import INVITATIONS
from .offer import ClosureViewSet, CounsellorViewSet, FormatViewSet, PlaceViewSet
from .personal_data import PERSONAL_DATA
from .registrations import REGISTRATIONS


class AppointmentsGroup(SnippetViewSetGroup):
    menu_label = _("Appointments")
    menu_icon = "date"
    menu_order = 200
    items = (
        BookingViewSet,
        INVITATIONS,
        CLASHES,
        REGISTRATIONS,
        AvailabilityRuleViewSet,
        AbsenceViewSet,
        GroupSessionViewSet,
        ExternalCalendarViewSet,
        CALENDAR_FEED,
        CounsellorViewSet,
        FormatViewSet,
        PlaceViewSet,
        ClosureViewSet,
        ApiKeyViewSet,
        PERSONAL_DATA,
    )
