"""API keys in the admin: the structure's managers see them and revoke one, which stops
it at once and for good; counsellors see nothing, another structure's keys are not
found, and nobody adds or deletes a key there (create_api_key shows a new one once)."""

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import ApiKey
from structures.models import Structure

from ..api.support import API

LIST = reverse("wagtailsnippets_booking_apikey:list")


def edit_url(row):
    return reverse("wagtailsnippets_booking_apikey:edit", args=[row.pk])


def denied(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def partner():
    return ApiKey.create(name="Lycée Condorcet", structure=Structure.default())


def test_a_manager_lists_the_keys_by_name_and_prefix_never_the_key(manager_client, partner):
    row, key = partner

    response = manager_client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Lycée Condorcet" in html and row.prefix in html
    assert key not in html and row.digest not in html


def test_a_manager_revokes_a_key_and_it_stops_at_once(manager_client, partner):
    row, key = partner

    response = manager_client.post(edit_url(row), {"name": row.name, "revoked": "on"})

    assert response.status_code == 302
    assert ApiKey.objects.get().revoked
    answer = Client().get(f"{API}/formats", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 401


def test_a_revoked_key_cannot_come_back(manager_client, partner):
    row, _key = partner
    ApiKey.objects.update(revoked=True)

    response = manager_client.post(edit_url(row), {"name": row.name})

    assert response.status_code == 200
    assert response.context["form"].errors["revoked"]
    assert ApiKey.objects.get().revoked


def test_nobody_adds_or_deletes_keys_in_the_admin(manager_client, partner):
    row, _key = partner

    assert denied(manager_client.get(reverse("wagtailsnippets_booking_apikey:add")))
    assert denied(
        manager_client.get(reverse("wagtailsnippets_booking_apikey:delete", args=[row.pk]))
    )


def test_counsellors_see_no_keys(samira_client, partner):
    row, _key = partner

    assert denied(samira_client.get(LIST))
    assert samira_client.get(edit_url(row)).status_code in (302, 404)
    assert not ApiKey.objects.get().revoked


def test_another_structures_key_is_not_found(manager_client, other_structure):
    theirs, _key = ApiKey.create(name="Partenaire du sud", structure=other_structure)

    assert "Partenaire du sud" not in manager_client.get(LIST).content.decode()
    assert manager_client.get(edit_url(theirs)).status_code == 404
    manager_client.post(edit_url(theirs), {"name": "x", "revoked": "on"})
    assert not ApiKey.objects.get(pk=theirs.pk).revoked
