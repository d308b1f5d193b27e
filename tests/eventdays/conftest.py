"""Hypothesis for the event days' planners: no deadline (the machine is shared, a slow
example is not a wrong one), and in CI the same examples every run, so that a failure
there is one a developer can replay."""

import os

from hypothesis import settings

settings.register_profile("planning", deadline=None, max_examples=50)
settings.register_profile(
    "ci", parent=settings.get_profile("planning"), derandomize=True, database=None
)
settings.load_profile("ci" if os.environ.get("CI") else "planning")
