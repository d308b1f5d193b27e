"""The event days' tests: a manager signed in to the admin, and Hypothesis for the
planners: no deadline (the machine is shared, a slow example is not a wrong one), and in
CI the same examples every run, so that a failure there is one a developer can replay."""

import os

import pytest
from django.test import Client
from hypothesis import settings

from structures.models import Structure
from tests.booking.factories import UserFactory

settings.register_profile("planning", deadline=None, max_examples=50)
settings.register_profile(
    "ci", parent=settings.get_profile("planning"), derandomize=True, database=None
)
settings.load_profile("ci" if os.environ.get("CI") else "planning")


@pytest.fixture
def manager_client(db):
    """A member of the structure's Responsables, signed in to the admin."""
    user = UserFactory(username="responsable", groups=["Responsables"])
    Structure.default().members.add(user)
    client = Client()
    client.force_login(user)
    return client
