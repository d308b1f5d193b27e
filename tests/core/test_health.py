"""/healthz: 200 when every dependency answers, 503 naming the one that does not."""

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.notifications.delivery import send_notification
from tests.support import run_django

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def closed_port():
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def media_folder(media_root):
    media_root.mkdir(parents=True)
    return media_root


def health(client):
    response = client.get("/healthz")
    return response.status_code, response.json()["checks"]


def test_all_is_well(client, db, media_folder):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_all_is_well_on_redis(client, db, media_folder, settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    }

    assert health(client) == (
        200,
        {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"},
    )


def test_a_cache_that_does_not_answer(client, db, media_folder, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }

    status, checks = health(client)

    assert status == 503
    assert checks["cache"] == "failing: ConnectionError"
    assert checks["database"] == checks["storage"] == "ok"


def test_a_missing_media_folder(client, db):
    status, checks = health(client)

    assert status == 503
    assert checks["storage"] == "failing: FileNotFoundError"


def test_a_bucket_that_does_not_exist(client, db, settings, s3_server):
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage("passerelle-nowhere")}

    status, checks = health(client)

    assert status == 503
    assert checks["storage"] == "failing: NoSuchBucket"


def test_a_bucket_that_does_not_answer(client, db, settings, s3_server):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **s3_server.storage("passerelle-nowhere"),
            "OPTIONS": {
                **s3_server.storage("passerelle-nowhere")["OPTIONS"],
                "endpoint_url": f"http://127.0.0.1:{closed_port()}",
            },
        },
    }

    status, checks = health(client)

    assert status == 503
    assert checks["storage"] == "failing: EndpointConnectionError"


def test_a_worker_that_keeps_up(client, db, media_folder, settings):
    settings.TASKS = DATABASE_TASKS
    send_notification.enqueue(1)

    assert health(client) == (
        200,
        {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"},
    )


def test_a_worker_that_does_not_take_the_tasks(client, db, media_folder, settings):
    settings.TASKS = DATABASE_TASKS
    settings.HEALTHZ_MAX_TASK_WAIT = 300
    send_notification.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=6))

    status, checks = health(client)

    assert status == 503
    assert checks["worker"].startswith("failing: the oldest waiting task has waited 36")


def test_a_database_that_does_not_answer(tmp_path):
    """In a process of its own, whose database server is not there."""
    (tmp_path / "media").mkdir()
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); "
        "print(r.status_code, r.content.decode())"
    )
    result = run_django(
        "-c",
        script,
        settings_module="config.settings.test",
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{closed_port()}/passerelle",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )

    status, body = result.stdout.split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["checks"]["database"] == "failing: OperationalError"
