import pytest

from tests.core.support import fragments_cached  # noqa: F401  (a fixture of the page cache)

from ..flow_support import book, free_slots


@pytest.fixture
def booking(samira):
    """Léa's booking of Samira's first free slot, made as the flow makes it."""
    return book(free_slots(samira)[0])
