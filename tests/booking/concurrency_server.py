"""Serves the concurrency tests: `python -m tests.booking.concurrency_server`, on a port
the system picks, printed as "port N" (probing for a free port first lets two checkouts
running these tests at once pick the same one, and talk to each other's server).

Django's threaded development server, exactly what `runserver` runs (one thread and one
database connection per request), but with a listen backlog for the whole burst:
runserver's backlog of 10 makes Linux reset connections when 40 arrive at once, which
would say nothing about booking. Production servers have backlogs in the thousands.
"""

import sys

import django

django.setup()

from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run  # noqa: E402


class BurstWSGIServer(WSGIServer):
    request_queue_size = 256


def announce(port):
    sys.stdout.write(f"port {port}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    run(
        "127.0.0.1",
        0,
        get_internal_wsgi_application(),
        threading=True,
        server_cls=BurstWSGIServer,
        on_bind=announce,
    )
