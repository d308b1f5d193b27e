#!/usr/bin/env bash
# make prod-local: the production stack on this machine, on production settings, at
# http://127.0.0.1:8000 until Ctrl-C. PostgreSQL, Redis and SeaweedFS's S3 come from
# scripts/with-services.sh; this adds an SMTP sink whose e-mails land in a folder,
# gunicorn with several workers, and the task worker that sends the e-mails. Everything
# stops, and its data goes, at exit.
#
# PROD_LOCAL_PORT (8000) and PROD_LOCAL_DIR (a temporary folder, removed at exit unless
# given) can be changed; PROD_LOCAL_WORKER=0 leaves the task worker out, so e-mails wait
# in the queue; PROD_LOCAL_SMTP_PORT sends them to an SMTP server of yours on 127.0.0.1
# instead of the sink. PROD_LOCAL_DIR/env holds the settings, in /etc/passerelle/env's
# format (tests/deploy and bench/booking_post_blackholed.py read it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
py="$root/.venv/bin/python"
if [ -z "${PROD_LOCAL_SERVICES:-}" ]; then
  PROD_LOCAL_SERVICES=1 exec bash "$here/with-services.sh" bash "$0" "$@"
fi
for var in TEST_POSTGRES_URL TEST_REDIS_URL TEST_S3_ENDPOINT_URL; do
  if [ -z "${!var:-}" ]; then
    echo "$var is not set: install postgresql, redis-server and the venv's weed (make install)." >&2
    exit 1
  fi
done

port=${PROD_LOCAL_PORT:-8000}
dir=${PROD_LOCAL_DIR:-}
keep_dir=1
if [ -z "$dir" ]; then
  dir=$(mktemp -d /tmp/passerelle-prod-local.XXXXXX)
  keep_dir=0
fi
mkdir -p "$dir/var"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep_dir" = 0 ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A database and a bucket of its own, so it never meets the tests' data.
name="prod_local_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$py" -c "import psycopg, sys; psycopg.connect(sys.argv[1], autocommit=True).execute('create database $name')" \
  "$TEST_POSTGRES_URL"
smtp_port=${PROD_LOCAL_SMTP_PORT:-$(free_port)}
site="http://127.0.0.1:$port"

cat >"$dir/env" <<ENV
DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY=prod-local-$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
DJANGO_CSRF_TRUSTED_ORIGINS=$site
DJANGO_SECURE_SSL_REDIRECT=0
PASSERELLE_VAR_DIR=$dir/var
DATABASE_URL=${TEST_POSTGRES_URL%/*}/$name
REDIS_URL=$TEST_REDIS_URL
S3_BUCKET_NAME=${name//_/-}
S3_ENDPOINT_URL=$TEST_S3_ENDPOINT_URL
S3_ACCESS_KEY_ID=${TEST_S3_ACCESS_KEY_ID:-}
S3_SECRET_ACCESS_KEY=${TEST_S3_SECRET_ACCESS_KEY:-}
S3_REGION_NAME=us-east-1
DJANGO_EMAIL_HOST=127.0.0.1
DJANGO_EMAIL_PORT=$smtp_port
DJANGO_DEFAULT_FROM_EMAIL="Passerelle <ne-pas-repondre@passerelle.test>"
WAGTAILADMIN_BASE_URL=$site
WEB_CONCURRENCY=${WEB_CONCURRENCY:-3}
GUNICORN_ACCESS_LOG=$dir/access.log
ENV
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
cd "$root"

if [ -z "${PROD_LOCAL_SMTP_PORT:-}" ]; then
  "$py" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$dir/mail" &
  pids+=($!)
fi
"$py" scripts/s3-bucket.py "$site"
"$py" manage.py migrate --noinput --verbosity 0
"$py" manage.py collectstatic --noinput --verbosity 0
DJANGO_LOG_LEVEL=WARNING "$py" manage.py load_demo
# load_demo queued Wagtail's search-index updates; the worker below runs them.

.venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" config.wsgi \
  2>"$dir/gunicorn.log" &
pids+=($!)
if [ "${PROD_LOCAL_WORKER:-1}" != 0 ]; then
  "$py" manage.py db_worker --no-startup-delay 2>"$dir/worker.log" &
  pids+=($!)
fi

cat <<MSG
Passerelle (production settings) at $site/ — Ctrl-C stops everything.
  an admin user, from another shell while it runs:
    (set -a; . $dir/env; .venv/bin/python manage.py createsuperuser)
  e-mails: $dir/mail/new/   logs: $dir/{gunicorn,access,worker}.log
MSG
wait -n "${pids[@]}"
