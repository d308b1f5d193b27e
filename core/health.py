"""/healthz: can this instance serve, and is the task worker keeping up?

For the load balancer, the service manager and uptime monitors. Each check is one cheap
operation on a real dependency; the answer names the failing part and the kind of
error, never a message that could hold an address, a password or a person's data.

The worker has no heartbeat of its own, so its health is read from its queue: the
oldest task that is ready to run and still waiting. A running worker takes tasks within
seconds; a stopped or stuck one lets them age. An empty queue is healthy: whether a
worker is there or not, nothing is waiting.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Case, F, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max


class Unhealthy(Exception):
    pass


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    key, value = "healthz", uuid.uuid4().hex
    cache.set(key, value, timeout=60)
    if cache.get(key) != value:
        raise Unhealthy("the value written was not read back")


def check_storage():
    # The top of the media folder or bucket, where Wagtail keeps only a few folders: one
    # directory read or one LIST request, nothing written. Missing, it raises.
    default_storage.listdir("")


def check_worker():
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return  # tasks run inline: there is no worker to wait for
    waiting_since = (
        DBTaskResult.objects.ready()
        .annotate(
            waiting_since=Case(
                When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
            )
        )
        .order_by("waiting_since")
        .values_list("waiting_since", flat=True)
        .first()
    )
    if waiting_since is None:
        return
    waited = int((timezone.now() - waiting_since).total_seconds())
    if waited > settings.HEALTHZ_MAX_TASK_WAIT:
        raise Unhealthy(f"the oldest waiting task has waited {waited} s")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "worker": check_worker,
}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Unhealthy as problem:
            results[name] = f"failing: {problem}"
        except Exception as error:
            results[name] = f"failing: {type(error).__name__}"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
