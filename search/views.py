from django.template.response import TemplateResponse


def search(request):
    return TemplateResponse(request, "search/search.html", {})
