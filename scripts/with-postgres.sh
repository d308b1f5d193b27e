#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server from Debian's package, so the
# concurrency tests meet a real PostgreSQL. TEST_POSTGRES_URL tells the tests where it is.
# Without PostgreSQL installed, the command runs alone and those tests are skipped.
# The command's exit status is this script's; the server and its data go away after it.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ -n "${TEST_POSTGRES_URL:-}" ]; then
  exec "$@"
fi

datadir=$(mktemp -d /tmp/passerelle-pg.XXXXXX)
runas=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres:postgres "$datadir"
  runas=(runuser -u postgres --)
fi
cleanup() {
  "${runas[@]}" "$bindir/pg_ctl" -D "$datadir" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT
"${runas[@]}" "$bindir/initdb" -D "$datadir" -U passerelle --auth=trust -E UTF8 >/dev/null

# First free port from 54329, so two checkouts can run their tests at the same time; the
# next one when another checkout took it between the check and the start.
port=${TEST_POSTGRES_PORT:-54329}
for attempt in $(seq 20); do
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  if "${runas[@]}" "$bindir/pg_ctl" -D "$datadir" -w -l "$datadir/server.log" \
    -o "-p $port -k $datadir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" \
    start >/dev/null; then
    break
  fi
  if [ "$attempt" = 20 ]; then
    cat "$datadir/server.log" >&2
    exit 1
  fi
  port=$((port + 1))
done
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U passerelle passerelle
export TEST_POSTGRES_URL="postgres://passerelle@127.0.0.1:$port/passerelle"
"$@"
