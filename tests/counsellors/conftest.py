import pytest

from tests.core.support import fragments_cached  # noqa: F401  (a fixture of the page cache)

from .factories import CounsellorIndexPageFactory


@pytest.fixture
def index(home):
    return CounsellorIndexPageFactory(parent=home)
