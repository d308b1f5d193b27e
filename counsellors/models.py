"""Counsellor profile pages and the accessible video they carry."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia


class AccessibleMedia(AbstractMedia):
    """A wagtailmedia file that carries its captions and transcript (WCAG 1.2)."""

    subtitles_file = models.FileField(
        upload_to="media_subtitles",
        blank=True,
        verbose_name=_("subtitles (WebVTT)"),
        help_text=_("A .vtt file with the captions of the video, in French."),
    )
    transcript = models.TextField(
        blank=True,
        verbose_name=_("transcript"),
        help_text=_("Everything said in the video, written out, for people who cannot hear it."),
    )

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "duration",
        "width",
        "height",
        "thumbnail",
        "subtitles_file",
        "transcript",
        "tags",
    )

    class Meta:
        verbose_name = _("media")
