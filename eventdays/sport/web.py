"""The sport day's pages without an account: the referee's (a station's placings or a
court's scores, from a signed link), the big-screen scoreboard, the results after the
day and the recruiters' rosters. Every row is of the request's structure. Views parse,
call `services` and render; what was typed stays in the form when it is refused."""

from functools import wraps

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from booking.services.tokens import ExpiredLink, InvalidLink

from . import links, services
from .models import Court, SportDay
from .queries import load_board
from .reasons import reason

# How often the big screen asks again, and how long its page is kept meanwhile.
REFRESH_SECONDS = 30
BOARD_KEPT_SECONDS = 15
SCORE_ERRORS = {
    "required": _("Type a score, 0 if none."),
    "invalid": _("Type a whole number."),
    "min_value": _("A score goes from 0 to 999."),
    "max_value": _("A score goes from 0 to 999."),
}


def private(view):
    """Never cached nor indexed; the secret URL kept from other sites."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def link_refused(request, expired):
    return render(
        request,
        "eventdays/sport/link_invalid.html",
        {"expired": expired},
        status=410 if expired else 404,
    )


class PlacingsForm(forms.Form):
    """One place per team that came to the station, tied teams sharing one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, station, team_rows, **kwargs):
        super().__init__(*args, **kwargs)
        count = len(team_rows)
        message = _("A place goes from 1 to %(count)s.") % {"count": count}
        for team in team_rows:
            self.fields[f"team_{team.pk}"] = forms.IntegerField(
                label=team.name,
                min_value=1,
                max_value=count,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "required": _("Give this team a place."),
                    "invalid": _("Type a whole number."),
                    "min_value": message,
                    "max_value": message,
                },
            )
        self.team_rows = team_rows

    def places(self):
        return {team.pk: self.cleaned_data[f"team_{team.pk}"] for team in self.team_rows}


class ScoreForm(forms.Form):
    """One match's score; the page's forms say which match by a plain "match" field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    home_score = forms.IntegerField(min_value=0, max_value=999, error_messages=SCORE_ERRORS)
    away_score = forms.IntegerField(min_value=0, max_value=999, error_messages=SCORE_ERRORS)

    def __init__(self, *args, match, **kwargs):
        super().__init__(*args, prefix=f"match-{match.pk}", **kwargs)
        self.match = match
        self.fields["home_score"].label = match.home.name
        self.fields["away_score"].label = match.away.name
        for name in ("home_score", "away_score"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


@private
@require_http_methods(["GET", "POST"])
def referee(request, token):
    """A station's jury places the teams; a court's referee types each match's score."""
    try:
        place = links.read_referee_token(token, request.structure)
    except InvalidLink:
        return link_refused(request, expired=False)
    except ExpiredLink:
        return link_refused(request, expired=True)
    day = place.sport_day
    if not day.is_published:
        return render(request, "eventdays/sport/referee_not_ready.html", {"place": place})
    board = load_board(day)
    if isinstance(place, Court):
        return _court(request, token, place, board)
    return _station(request, token, place, board)


def _station(request, token, station, board):
    visiting = [visit.team for visit in board.visits if visit.station_id == station.pk]
    placed = {p.team_id: p.place for p in board.placings if p.station_id == station.pk}
    initial = {"version": station.version, **{f"team_{t}": p for t, p in placed.items()}}
    form = PlacingsForm(request.POST or None, station=station, team_rows=visiting, initial=initial)
    status, changed = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_placings(
                    station, form.places(), version=form.cleaned_data["version"]
                )
            except services.ResultChanged as error:
                changed = error.message
                station.refresh_from_db()
                placed = dict(station.placings.values_list("team_id", "place"))
                form = _kept(form, station.version, station=station, team_rows=visiting)
            except services.SportDayError as error:
                form.add_error(None, error.message)
            else:
                return redirect(request.path + "?enregistre=1")
        status = 400 if not changed else 409
    return render(
        request,
        "eventdays/sport/referee_station.html",
        {
            "station": station,
            "day": board.day,
            "form": form,
            "changed": changed,
            "saved": request.GET.get("enregistre") == "1" and request.method == "GET",
            "placed": [(team.name, placed[team.pk]) for team in visiting if team.pk in placed],
        },
        status=status,
    )


def _court(request, token, court, board):
    court_matches = [match for match in board.matches if match.court_id == court.pk]
    sent = None
    if request.method == "POST":
        try:
            sent = int(request.POST.get("match", ""))
        except ValueError:
            sent = None
    forms_by_match, status, changed = [], 200, None
    for match in court_matches:
        initial = {
            "version": match.version,
            "home_score": match.home_score,
            "away_score": match.away_score,
        }
        data = request.POST if sent == match.pk else None
        form = ScoreForm(data, match=match, initial=initial)
        if data is not None:
            status = 400
            if form.is_valid():
                try:
                    services.record_score(
                        match,
                        home_score=form.cleaned_data["home_score"],
                        away_score=form.cleaned_data["away_score"],
                        version=form.cleaned_data["version"],
                    )
                except services.ResultChanged as error:
                    match.refresh_from_db()
                    changed, status = error.message, 409
                    form = _kept(form, match.version, match=match)
                else:
                    return redirect(f"{request.path}?enregistre={match.pk}#match-{match.pk}")
        forms_by_match.append((match, form))
    if request.method == "POST" and sent not in {match.pk for match in court_matches}:
        return redirect(request.path)
    saved = request.GET.get("enregistre", "")
    return render(
        request,
        "eventdays/sport/referee_court.html",
        {
            "court": court,
            "day": board.day,
            "forms": forms_by_match,
            "changed": changed,
            "saved": saved if saved.isdigit() else "",
        },
        status=status,
    )


def _kept(form, version, **arguments):
    """The same form with what was typed, now for the row's `version`: sent again, it
    replaces what the other phone typed, knowingly."""
    data = form.data.copy()
    data[form.add_prefix("version")] = version
    kept = type(form)(data, **arguments)
    kept.is_valid()
    return kept


def published_day(request, pk):
    day = get_object_or_404(
        SportDay.objects.select_related("date"), pk=pk, date__structure=request.structure
    )
    if not day.is_published:
        raise Http404
    return day


def with_reasons(board):
    return [(standing, team, reason(standing)) for standing, team in board.standings]


@require_http_methods(["GET"])
def scoreboard(request, pk):
    """The big screen: the ranking with why, the round on, what is at each station.
    Kept a few seconds under the day's results version, which every result renews.

    It asks again every REFRESH_SECONDS by the HTTP Refresh header, the one a
    `<meta http-equiv="refresh">` stands for: no JavaScript, and the page itself keeps
    no timed refresh a reader cannot stop (WCAG 2.2.1); `?pause=1` stops it."""
    day = published_day(request, pk)
    paused = request.GET.get("pause") == "1"
    key = f"eventdays.sport.board:{day.pk}:{day.results_version}:{get_language()}:{paused}"
    content = cache.get(key)
    if content is None:
        board = load_board(day)
        now = timezone.now()
        content = render_to_string(
            "eventdays/sport/scoreboard.html",
            {
                "day": day,
                "board": board,
                "standings": with_reasons(board),
                "current": board.current_round(now),
                "refresh": REFRESH_SECONDS,
                "paused": paused,
            },
            request=request,
        )
        cache.set(key, content, BOARD_KEPT_SECONDS)
    response = HttpResponse(content)
    if not paused:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_http_methods(["GET"])
def results(request, pk):
    """After the day: the final ranking, the matches and each activity's placings."""
    day = published_day(request, pk)
    if timezone.now() < day.date.end:
        raise Http404
    board = load_board(day)
    placings = {}
    for placing in board.placings:
        placings.setdefault(placing.station_id, []).append(placing)
    team_of = board.team_of
    stations = [
        (
            station,
            sorted(
                ((p.place, team_of[p.team_id]) for p in placings.get(station.pk, [])),
                key=lambda pair: (pair[0], pair[1].number),
            ),
        )
        for station in board.stations
    ]
    return render(
        request,
        "eventdays/sport/results.html",
        {"day": day, "standings": with_reasons(board), "board": board, "stations": stations},
    )


@private
@require_http_methods(["GET"])
def recruiters(request, token):
    """The teams and their players' first names, no more, for recruiters invited."""
    try:
        day = links.read_recruiters_token(token, request.structure)
    except InvalidLink:
        return link_refused(request, expired=False)
    except ExpiredLink:
        return link_refused(request, expired=True)
    board = load_board(day, members=True)
    return render(request, "eventdays/sport/recruiters.html", {"day": day, "board": board})
