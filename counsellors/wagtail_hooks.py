"""A counsellor finds their own profile page in the admin's menu ("My profile page"),
since the page tree shows them nothing: they may edit that page only
(counsellors.models.OwnProfilePermissionTester)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from .models import CounsellorPage


def own_profile_page_id(request):
    """The id of the profile page of the signed-in counsellor, or None; read once per
    request."""
    if not hasattr(request, "_own_profile_page_id"):
        pages = CounsellorPage.objects.filter(counsellor__user_id=request.user.pk)
        request._own_profile_page_id = pages.order_by("path").values_list("pk", flat=True).first()
    return request._own_profile_page_id


class OwnProfileMenuItem(MenuItem):
    def is_shown(self, request):
        return own_profile_page_id(request) is not None

    def render_component(self, request):
        url = reverse("wagtailadmin_pages:edit", args=[own_profile_page_id(request)])
        return LinkMenuItemComponent(
            self.name, self.label, url, icon_name=self.icon_name, attrs=self.attrs
        )


@hooks.register("register_admin_menu_item")
def register_own_profile():
    return OwnProfileMenuItem(_("My profile page"), "", icon_name="user", order=150)
