"""Gunicorn's settings for Passerelle (Procfile, deploy/systemd/passerelle-web.service,
scripts/prod-local.sh): `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

The access log never holds a secret: the query string and the referrer are left out, and
the tokens in the paths of manage links, confirmation pages and counsellors' calendar
feeds (booking/web/urls.py) are replaced by "***", because whoever reads the logs must not
be able to open someone's appointment or agenda. nginx does the same (deploy/nginx/).
"""

import multiprocessing
import os
import re

from gunicorn import glogging

# Sync workers: each serves one request at a time, and bookings only queue their e-mails
# (the worker sends them), so requests are short. WEB_CONCURRENCY is what PaaS hosts set.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# Past this a worker is killed and the client gets a 502: a request that long is a bug
# (an outgoing connection without a timeout), not a slow page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# A worker is replaced after this many requests, so a slow leak never grows unbounded.
max_requests = 1000
max_requests_jitter = 100

# The heartbeat file lives in memory: a full or slow disk must not get workers killed.
worker_tmp_dir = "/dev/shm"

# No control socket (gunicorn ≥ 25.1 makes one in $HOME, read-only under systemd, and
# shared by every gunicorn of the same user): systemd reloads and stops it.
control_socket_disable = True

# Gunicorn believes X-Forwarded-Proto only from these addresses (default: the loopback,
# where nginx runs); set FORWARDED_ALLOW_IPS if the proxy is elsewhere. Django decides
# https from the same header (SECURE_PROXY_SSL_HEADER), and the client's address from
# X-Forwarded-For only behind DJANGO_TRUSTED_PROXIES: gunicorn never rewrites REMOTE_ADDR.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s - - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The path segment after these prefixes is a secret token (booking/web/urls.py).
SECRET_PATH = re.compile(r"^(/rendez-vous/(?:agenda|gerer|confirmation)/)[^/]+")


def redact(path):
    """The path with its secret token replaced, for logs."""
    return SECRET_PATH.sub(lambda match: match.group(1) + "***", path or "")


class RedactingLogger(glogging.Logger):
    """Gunicorn's logger, whose request atoms never carry a token or a query string,
    whatever access_log_format names."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms["U"])
        atoms["q"] = "-"
        atoms["f"] = "-"
        atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"
        for header in ("{referer}i", "{cookie}i", "{authorization}i"):
            atoms.pop(header, None)
        return atoms


logger_class = RedactingLogger
