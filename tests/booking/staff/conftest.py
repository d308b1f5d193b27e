import pytest


@pytest.fixture
def samira_client(client, samira):
    """The test client, signed in to the admin as Samira."""
    client.force_login(samira.user)
    return client
