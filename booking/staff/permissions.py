"""Who may see and change what on the staff side.

Two roles, as in RDV-Solidarités: a counsellor (group "Conseillers", a user with a
Counsellor row) sees and manages only their own availability, absences, group sessions
and bookings; a manager (group "Responsables") sees everyone's and also manages
counsellors, formats, places and closures.

Being a manager is a permission, not a group name, so renaming a group changes nothing:
whoever may change counsellors manages everyone. Whoever may delete young people may
find, export and erase their data (booking.services.privacy).

Both work for structures: the admin shows the structure of the site it is used on, and
only to its staff (Structure.members), its counsellors (Counsellor.structures), and
the network's role ("Réseau", structures.permissions) and administrators, who see every
structure.

Bookings are never added or deleted in the admin: booking.services writes them and
erases personal data, so no policy grants those two actions.
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from booking.models import Counsellor
from structures.permissions import sees_every_structure

COUNSELLORS_GROUP = "Conseillers"
MANAGERS_GROUP = "Responsables"
MANAGER_PERMISSION = "booking.change_counsellor"
PERSONAL_DATA_PERMISSION = "booking.delete_youngperson"


def is_manager(user):
    return user.is_active and user.has_perm(MANAGER_PERMISSION)


def may_handle_personal_data(user):
    return user.is_active and user.has_perm(PERSONAL_DATA_PERMISSION)


def works_for(user, structure):
    """Whether `user` may see `structure`'s rows in the admin; read once per request
    (kept on the request's user, as Django keeps its permissions)."""
    if structure is None or not user.is_active:
        return False
    if sees_every_structure(user):
        return True
    known = user.__dict__.setdefault("_works_for", {})
    if structure.pk not in known:
        counsellor = counsellor_of(user)
        known[structure.pk] = structure.members.filter(pk=user.pk).exists() or (
            counsellor is not None and counsellor.structures.filter(pk=structure.pk).exists()
        )
    return known[structure.pk]


def counsellor_of(user):
    """The user's Counsellor row or None; Django caches it (or its absence) on the user."""
    if not user.is_authenticated:
        return None
    try:
        return user.counsellor
    except Counsellor.DoesNotExist:
        return None


class CounsellorOwnedPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the user's own rows unless they are a manager.

    A user with the model permissions but no Counsellor row (and not a manager) owns
    nothing, so has no permission at all: no menu item, 403 on every view.
    """

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) and (
            is_manager(user) or counsellor_of(user) is not None
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._owns(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._owns(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.all()
        if not self.user_has_any_permission(user, actions):
            return objects.none()
        if is_manager(user):
            return objects
        return objects.filter(counsellor=counsellor_of(user))

    def users_with_any_permission_for_instance(self, actions, instance):
        managers = ModelPermissionPolicy(Counsellor).users_with_permission("change")
        return self.users_with_any_permission(actions).filter(
            Q(counsellor__pk=instance.counsellor_id) | Q(pk__in=managers.values("pk"))
        )

    def _owns(self, user, instance):
        if is_manager(user):
            return True
        counsellor = counsellor_of(user)
        return counsellor is not None and instance.counsellor_id == counsellor.pk


class BookingPolicy(CounsellorOwnedPolicy):
    """Bookings can be viewed and changed (outcome, cancellation), never added or deleted."""

    READ_ONLY_ACTIONS = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.READ_ONLY_ACTIONS and super().user_has_permission(user, action)


class ManagersOnlyPolicy(ModelPermissionPolicy):
    """For rows only managers handle (API keys): they view and change (rename, revoke);
    nobody adds or deletes them in the admin."""

    ACTIONS = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and is_manager(user)

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.all()
        return objects if self.user_has_any_permission(user, actions) else objects.none()
