"""Counsellors belong to the counsellors' media group of each structure they work for
(structures.editors makes one per structure), so they upload their own video to its
collection and change only theirs; they leave it when they stop working there or their
account is given to someone else. Kept by signals (BookingConfig.ready), whoever makes
the change: the admin, the demo, a shell."""

from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist

from booking.models import Counsellor
from structures.models import Structure


def follow_structures(counsellor):
    """Put the counsellor's user in the media groups of their structures, and out of
    the others."""
    if counsellor.user_id is None:
        return
    theirs = set(
        Structure.objects.filter(counsellors=counsellor)
        .exclude(counsellors_media=None)
        .values_list("counsellors_media", flat=True)
    )
    every = Group.objects.filter(structure_of_counsellors__isnull=False)
    counsellor.user.groups.remove(*every.exclude(pk__in=theirs))
    counsellor.user.groups.add(*theirs)


def leave_every_media_group(user_id):
    Group.user_set.through.objects.filter(
        user_id=user_id, group__structure_of_counsellors__isnull=False
    ).delete()


def remember_the_user(sender, instance, raw=False, **kwargs):
    """Before a counsellor is saved: whose account it was."""
    if instance.pk and not raw:
        instance._previous_user_id = (
            Counsellor.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


def on_counsellor_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_previous_user_id", None)
    if previous is not None and previous != instance.user_id:
        leave_every_media_group(previous)
    follow_structures(instance)


def on_structures_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        follow_structures(instance)
        return
    counsellors = Counsellor.objects.filter(pk__in=pk_set) if pk_set else Counsellor.objects.all()
    for counsellor in counsellors.select_related("user"):
        follow_structures(counsellor)


def every_counsellor_follows(sender, apps=None, **kwargs):
    """After migrations: counsellors of structures whose group was just made join it
    (not while the structures' migration that adds the groups is still to run)."""
    try:
        apps.get_model("structures", "Structure")._meta.get_field("counsellors_media")
    except (AttributeError, LookupError, FieldDoesNotExist):
        return
    for counsellor in Counsellor.objects.exclude(user=None).select_related("user"):
        follow_structures(counsellor)
