"""Counsellors' rows keep their history in their own table (booking.models.history); the
entries Wagtail's shared log already holds about them move there, with their counsellor
when the row still exists."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["booking", "absence", "availabilityrule", "groupsession", "externalcalendar"]
FIELDS = [
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
]


def entry_fields(entry):
    return {field: getattr(entry, field) for field in FIELDS}


def move_to_own_table(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    CounsellorLogEntry = apps.get_model("booking", "CounsellorLogEntry")
    for content_type in ContentType.objects.filter(app_label="booking", model__in=MODELS):
        entries = ModelLogEntry.objects.filter(content_type=content_type)
        rows = apps.get_model("booking", content_type.model).objects.filter(
            pk__in=list(entries.values_list("object_id", flat=True))
        )
        owners = {str(pk): counsellor for pk, counsellor in rows.values_list("pk", "counsellor")}
        CounsellorLogEntry.objects.bulk_create(
            CounsellorLogEntry(**entry_fields(entry), counsellor_id=owners.get(entry.object_id))
            for entry in entries
        )
        entries.delete()


def move_back(apps, schema_editor):
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    entries = apps.get_model("booking", "CounsellorLogEntry").objects.all()
    ModelLogEntry.objects.bulk_create(ModelLogEntry(**entry_fields(entry)) for entry in entries)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0009_external_calendar_skipped_events"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CounsellorLogEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.TextField()),
                ("action", models.CharField(blank=True, db_index=True, max_length=255)),
                (
                    "data",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                    ),
                ),
                ("timestamp", models.DateTimeField(db_index=True, verbose_name="timestamp (UTC)")),
                (
                    "uuid",
                    models.UUIDField(
                        blank=True,
                        editable=False,
                        help_text="Log entries that happened as part of the same user action are assigned the same UUID",
                        null=True,
                    ),
                ),
                ("content_changed", models.BooleanField(db_index=True, default=False)),
                ("deleted", models.BooleanField(default=False)),
                ("object_id", models.CharField(db_index=True, max_length=255)),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
                (
                    "counsellor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="booking.counsellor",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="wagtailcore.revision",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "counsellor's log entry",
                "verbose_name_plural": "counsellors' log entries",
                "ordering": ["-timestamp", "-id"],
                "abstract": False,
                "indexes": [
                    models.Index(
                        fields=["uuid", "action", "-timestamp"], name="booking_cou_uuid_3f44c4_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(move_to_own_table, move_back),
    ]
