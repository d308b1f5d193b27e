"""The event days' tables, one module per kind of day."""

from .sport.models import (  # noqa: F401
    Court,
    Match,
    Placing,
    SportDay,
    Station,
    Team,
    TeamMember,
    Visit,
)
