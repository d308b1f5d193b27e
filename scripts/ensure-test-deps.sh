#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: Chromium for the
# browser tests, PostgreSQL for the concurrency tests, Redis for the shared cache and
# the rate limit, gettext for the catalogue check, nginx and systemd-analyze for the
# checks of deploy/, wrk for the load of bench/pages.py. (SeaweedFS, the S3 server,
# comes from PyPI with requirements-dev.txt.)
# Only when something is missing and we are root (CI, fresh machines); otherwise it
# says what is missing and the tests that need it are skipped with that reason.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
else
  echo "Missing Debian packages (install them to run every test): ${missing[*]}" >&2
fi
