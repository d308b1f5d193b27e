import pytest
from django.test import Client

from structures.models import Structure
from tests.booking.factories import UserFactory


@pytest.fixture
def manager_client(db):
    """A member of the structure's Responsables, signed in to the admin."""
    user = UserFactory(username="responsable", groups=["Responsables"])
    Structure.default().members.add(user)
    client = Client()
    client.force_login(user)
    return client
