import pytest

from .factories import CounsellorIndexPageFactory


@pytest.fixture
def index(home):
    return CounsellorIndexPageFactory(parent=home)
