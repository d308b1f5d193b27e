from tests.core.support import fragments_cached  # noqa: F401  (a fixture of the page cache)
