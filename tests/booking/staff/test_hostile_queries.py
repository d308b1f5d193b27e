"""Every staff page answers hostile query strings without a server error: each query
parameter the pages read, and a few they do not, with values a form would never send."""

import pytest
from django.urls import reverse

HOSTILE = ["", "²", "abc", "-1", "1.5", "9" * 30, "1\x00", "' OR 1=1 --", "<b>", "%", "a" * 3000]
PARAMETERS = ["counsellor", "when", "status", "ordering", "p", "q", "id", "next", "export"]


def snippet_list(model):
    return reverse(f"wagtailsnippets_booking_{model}:list")


STAFF_PAGES = [
    *(
        snippet_list(model)
        for model in ["booking", "absence", "availabilityrule", "groupsession", "externalcalendar"]
    ),
    reverse("booking_calendar_feed:index"),
]
MANAGER_PAGES = [
    *STAFF_PAGES,
    *(snippet_list(model) for model in ["counsellor", "format", "place", "closure"]),
    reverse("booking_personal_data:find"),
]


def server_errors(client, pages, parameters, values=HOSTILE):
    """(page, parameter, value, status) of each answer that is a 5xx."""
    return [
        (page, parameter, value, status)
        for page in pages
        for parameter in parameters
        for value in values
        if (status := client.get(page, {parameter: value}).status_code) >= 500
    ]


@pytest.mark.parametrize("who", ["samira_client", "manager_client"])
def test_staff_pages_never_answer_a_server_error(request, samira, who):
    client = request.getfixturevalue(who)
    pages = MANAGER_PAGES if who == "manager_client" else STAFF_PAGES

    assert server_errors(client, pages, PARAMETERS) == []
