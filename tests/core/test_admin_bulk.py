"""Wagtail's bulk action pages, given ids that are not ids."""

import pytest
from django.urls import reverse

from tests.booking.staff.test_hostile_queries import HOSTILE, server_errors

BULK_PAGES = [
    reverse("wagtail_bulk_action", args=(app, model, action))
    for app, model, action in [
        ("booking", "booking", "delete"),
        ("booking", "absence", "delete"),
        ("booking", "closure", "delete"),
        ("wagtailcore", "page", "delete"),
        ("wagtailcore", "page", "publish"),
        ("wagtailimages", "image", "add_tags"),
        ("wagtaildocs", "document", "delete"),
        ("auth", "user", "set_active_state"),
    ]
]


@pytest.mark.django_db
def test_malformed_ids_never_give_a_server_error(admin_client):
    assert server_errors(admin_client, BULK_PAGES, ["id"]) == []


@pytest.mark.django_db
def test_a_malformed_parent_page_is_not_found(admin_client):
    page = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))

    for value in HOSTILE:
        assert admin_client.get(page, {"id": "all", "childOf": value}).status_code == 404


def test_malformed_ids_are_dropped_and_the_others_kept(admin_client, home):
    page = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))

    response = admin_client.get(page, {"id": ["", "²", str(home.pk), "9" * 30]})

    assert response.status_code == 200
    assert [item["item"].pk for item in response.context["items"]] == [home.pk]
