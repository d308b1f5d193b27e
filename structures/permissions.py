"""Who may change a structure's settings: the network role everywhere, a structure's
own staff (Structure.members with the change permission, as the "Responsables" group
has it) only their own, and Wagtail's per-site permissions as Wagtail grants them."""

from wagtail.models import Site
from wagtail.permission_policies.sites import SitePermissionPolicy

# The network's role ("Réseau"): sees and manages every structure of the install, as
# administrators do, without being one (no users, sites or install-wide settings).
NETWORK_PERMISSION = "structures.see_every_structure"


def sees_every_structure(user):
    return user.is_active and user.has_perm(NETWORK_PERMISSION)  # administrators have all


class StructurePolicy(SitePermissionPolicy):
    """Wagtail's policy for site settings, except that a permission held for every
    site (a group's, not a site's) reaches only the structures the user is staff of."""

    def _narrowed(self, user, actions):
        return self._user_has_global_permission(user, actions) and not sees_every_structure(user)

    def _staff_site_ids(self, user):
        cached = user.__dict__.get("_structure_site_ids")
        if cached is None:
            cached = set(self.model.objects.filter(members=user).values_list("site", flat=True))
            user.__dict__["_structure_site_ids"] = cached
        return cached

    def _has_site_permission(self, user, actions, site_id):
        codenames = self._get_permission_codenames(actions)
        return any(
            permission.permission.content_type_id == self._content_type.pk
            and permission.permission.codename in codenames
            and permission.site_id == site_id
            for permission in self.get_cached_permissions_for_user(user)
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not (user.is_authenticated and self._narrowed(user, actions)):
            return super().user_has_any_permission_for_instance(user, actions, instance)
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        return site_id in self._staff_site_ids(user) or self._has_site_permission(
            user, actions, site_id
        )

    def sites_user_has_any_permission_for(self, user, actions):
        if not (user.is_authenticated and self._narrowed(user, actions)):
            return super().sites_user_has_any_permission_for(user, actions)
        permission_ids = self._get_permission_objects_for_actions(actions).values("id")
        granted = Site.objects.filter(
            group_permissions__permission_id__in=permission_ids,
            group_permissions__group__in=user.groups.all(),
        ).values("pk")
        return Site.objects.filter(pk__in=self._staff_site_ids(user)) | Site.objects.filter(
            pk__in=granted
        )
