"""Each request runs in its structure's time zone, so every time shown or parsed is the
structure's own wall clock, the way Django's LocaleMiddleware sets the language."""

from django.utils import timezone

from .models import Structure


class StructureMiddleware:
    """`request.structure`, read once per request (from the shared cache), and its time
    zone active while the request is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        structure = Structure.for_request(request)
        request.structure = structure
        if structure is None:
            return self.get_response(request)
        with timezone.override(structure.zone):
            return self.get_response(request)
