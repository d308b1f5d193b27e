"""Why a team stands ahead of the next one, in words the scoreboard shows."""

from django.utils.translation import gettext_lazy as _

from eventdays.planning.ranking import Criterion

AHEAD = {
    Criterion.POINTS: _("more points"),
    Criterion.HEAD_TO_HEAD: _("ahead in their head-to-head"),
    Criterion.GOAL_DIFFERENCE: _("better goal difference"),
    Criterion.GOALS_SCORED: _("more goals scored"),
    Criterion.FAIR_PLAY: _("better fair play"),
}
TIE_BROKEN = {
    Criterion.HEAD_TO_HEAD: _("tie broken by head-to-head"),
    Criterion.GOAL_DIFFERENCE: _("tie broken by goal difference"),
    Criterion.GOALS_SCORED: _("tie broken by goals scored"),
    Criterion.FAIR_PLAY: _("tie broken by fair play"),
}
CRITERIA = {
    Criterion.POINTS: _("Points"),
    Criterion.HEAD_TO_HEAD: _("Head-to-head"),
    Criterion.GOAL_DIFFERENCE: _("Goal difference"),
    Criterion.GOALS_SCORED: _("Goals scored"),
    Criterion.FAIR_PLAY: _("Fair play"),
}


def reason(standing):
    """ "" for the last rank; "ex æquo" for a shared one; otherwise what set it ahead."""
    if standing.ex_aequo and standing.ahead_by is None:
        return _("ex aequo")
    if standing.ahead_by is None:
        return ""
    if standing.level_on:
        return TIE_BROKEN.get(standing.ahead_by, AHEAD[standing.ahead_by])
    return AHEAD[standing.ahead_by]
