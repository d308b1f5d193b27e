"""Each view runs in its structure's time zone, so every time shown or parsed is the
structure's own wall clock, the way Django's LocaleMiddleware sets the language."""

from django.db import DatabaseError
from django.utils import timezone

from .models import Structure


def structure_exempt(view):
    """For a view that must not depend on the database or the cache, such as the health
    check: it runs with no structure and in the default time zone (csrf_exempt's idiom)."""
    view.structure_exempt = True
    return view


class StructureMiddleware:
    """`request.structure`, read once per request (from the shared cache) when the view
    is known, and its time zone active while the view runs and its answer renders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "structure_exempt", False):
            return None
        try:
            request.structure = Structure.for_request(request)
        except DatabaseError:
            # A view that needs no database (robots.txt) still answers; one that needs
            # it fails on its own, as it would have.
            request.structure = None
        if request.structure is not None:
            timezone.activate(request.structure.zone)
        return None
