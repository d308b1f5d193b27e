"""What the API reads and answers, as ninja schemas (and so in its OpenAPI document)."""

from datetime import date, datetime

from ninja import Field, Schema

ANY = "any"
MAX_RANGE_DAYS = 31
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**63 - 1


class CounsellorOut(Schema):
    slug: str
    first_name: str
    formats: list[str] = Field(description="Slugs of the meeting formats they offer.")
    profile_url: str | None = Field(description="Their profile page with a video, if any.")


class FormatOut(Schema):
    slug: str
    name: str
    description: str
    duration_minutes: int
    capacity: int = Field(description="1 for one-to-one; more for a group format.")
    place_kinds: list[str]
    meeting_stage: str = Field(description="first, follow_up or any.")


class PlaceOut(Schema):
    id: int
    name: str
    kind: str


class SlotOut(Schema):
    start: datetime
    end: datetime
    counsellor: str | None = Field(description="Null when asked for any counsellor.")
    format: str
    place: PlaceOut
    seats_left: int = Field(
        description="Places left in a group; for any counsellor, how many are free then."
    )


class SlotQuery(Schema):
    counsellor: str = Field(
        ANY, max_length=80, pattern=SLUG_PATTERN, description="A counsellor's slug, or “any”."
    )
    format: str | None = Field(None, max_length=50, pattern=SLUG_PATTERN)
    start: date | None = Field(None, description="First day (default: today).")
    end: date | None = Field(None, description=f"Last day, at most {MAX_RANGE_DAYS} days on.")


class BookingIn(Schema):
    counsellor: str = Field(
        ANY, max_length=80, pattern=SLUG_PATTERN, description="A counsellor's slug, or “any”."
    )
    format: str = Field(max_length=50, pattern=SLUG_PATTERN)
    start: str = Field(
        max_length=40,
        description="The slot's start, ISO 8601; without an offset, Paris time.",
        examples=["2026-03-02T09:00:00+01:00"],
    )
    place: int = Field(ge=1, le=MAX_ID, description="The slot's place id.")
    first_name: str = ""
    email: str = Field("", description="An e-mail address, a mobile number, or both.")
    phone: str = Field(
        "",
        description="A mobile number from France or overseas, in any usual form "
        "(06 12 34 56 78, +262 692 12 34 56), or from the EU where the structure allows "
        "it. A landline is refused. Needed for a meeting by phone: the counsellor calls it.",
    )
    preferred_channel: str = Field(
        "",
        max_length=5,
        description="With both contacts: where the person wants to be told, “email” or "
        "“sms”. Otherwise the one given.",
    )
    home_street: str = Field("", description="For a meeting at home: the street and number…")
    home_postcode: str = Field("", description="…the postcode (five digits)…")
    home_town: str = Field("", description="…the town…")
    home_access: str = Field(
        "",
        description="…and optional notes to find the door. Shown to the counsellor only, "
        "erased with the person's other data.",
    )
    consent: bool = Field(
        strict=True, description="True once the person agreed to how their details are used."
    )
    message: str = ""


class MoveIn(Schema):
    start: str = Field(
        max_length=40,
        description="The new start, ISO 8601; without an offset, the structure's time.",
        examples=["2026-03-02T14:00:00+01:00"],
    )
    place: int | None = Field(
        None, ge=1, le=MAX_ID, description="Another place's id; the same place if left out."
    )
    counsellor: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Another counsellor's slug; the same counsellor if left out.",
    )


class BookingOut(Schema):
    reference: str
    status: str
    start: datetime
    end: datetime
    counsellor: str
    format: str
    place: PlaceOut
    manage_url: str = Field(description="To give to the person: see, move or cancel.")
    ics_url: str = Field(description="The appointment as a calendar file.")


class Detail(Schema):
    detail: str


class Errors(Schema):
    errors: dict[str, list[str]]


class ModeSeatsOut(Schema):
    mode: str = Field(description="on_site or online.")
    capacity: int | None = Field(description="Seats per date; null: no limit (online).")
    seats_left: int | None = Field(description="Null when there is no limit.")
    full: bool = Field(description="True when a newcomer would join the waiting list.")
    waiting_list: bool = Field(
        description="Whether one may still join the waiting list (until a few hours "
        "before the start)."
    )


class EventDateOut(Schema):
    event: int = Field(description="The event page's id.")
    date: str = Field(description="The date's key, to register for it.")
    title: str
    start: datetime
    end: datetime
    url: str = Field(description="The event's page.")
    party_size_max: int = Field(description="Seats one registration may take (“me + 1”).")
    modes: list[ModeSeatsOut]


class RegistrationIn(Schema):
    event: int = Field(ge=1, le=MAX_ID, description="The event page's id.")
    date: str = Field(max_length=32, pattern=SLUG_PATTERN, examples=["date-12", "day-20260304"])
    mode: str = Field(max_length=10, description="on_site or online, one of the date's modes.")
    party_size: int = Field(1, ge=1, le=MAX_ID, description="Seats, the person included.")
    first_name: str = ""
    email: str = Field("", description="An e-mail address, a mobile number, or both.")
    phone: str = Field("", description="A mobile number, as for bookings.")
    preferred_channel: str = Field(
        "", max_length=5, description="With both contacts: “email” or “sms”."
    )
    auto_confirm: bool = Field(
        False, description="On the waiting list: confirm directly when seats free up."
    )
    consent: bool = Field(
        strict=True, description="True once the person agreed to how their details are used."
    )


class RegistrationOut(Schema):
    reference: str
    status: str = Field(description="confirmed or waiting.")
    position: int | None = Field(description="On the waiting list: its place (1: next).")
    event: int
    date: str
    title: str
    start: datetime
    end: datetime
    mode: str
    party_size: int
    manage_url: str = Field(description="To give to the person: see, take a seat, cancel.")
    ics_url: str | None = Field(description="The date as a calendar file, once confirmed.")
