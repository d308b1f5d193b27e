"""Response headers the site adds itself, where neither Django nor django-csp has one."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: the features of settings.PERMISSIONS_POLICY
    are refused to every page and to every frame it embeds, so a compromised script or
    player cannot turn on a young person's camera or ask where they are."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
