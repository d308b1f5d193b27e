from tests.core.support import fragments_cached  # noqa: F401  (a fixture of the page cache)

from ..registrations_support import clock  # noqa: F401  (a fixture: the time moved by hand)
