#!/usr/bin/env bash
# Runs a command with every server the tests meet for real, started once for the run:
# PostgreSQL (scripts/with-postgres.sh), Redis and SeaweedFS's S3 gateway, each on a
# free loopback port with its data in a temporary folder, gone when the command ends.
# The tests find them through TEST_POSTGRES_URL, TEST_REDIS_URL and TEST_S3_*; a server
# that is not installed is left out, and the tests that need it say so (or fail in CI).
# The command's exit status is this script's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
weed="$here/../.venv/bin/weed"
tmp=$(mktemp -d /tmp/passerelle-services.XXXXXX)
pids=()
cleanup() {
  # Throwaway data: no need for a clean stop, which takes SeaweedFS up to minutes.
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# A port nobody listens on now (the kernel's pick, released at once).
free_port() {
  free_ports 1
}

# N different such ports: all held open until every one is picked, so none comes twice.
free_ports() {
  python3 -c '
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
' "$1"
}

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits until `check` succeeds, or shows the server's log and gives up after a minute.
wait_for() {
  local name=$1 log=$2
  shift 2
  for _ in $(seq 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$name did not start:" >&2
  tail -n 20 "$log" >&2
  exit 1
}

if [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
  port=$(free_port)
  # No snapshots, no append-only file: the cache starts empty and leaves nothing behind.
  redis-server --bind 127.0.0.1 --port "$port" --dir "$tmp" --save "" --appendonly no \
    >"$tmp/redis.log" 2>&1 &
  pids+=($!)
  wait_for Redis "$tmp/redis.log" redis-cli -h 127.0.0.1 -p "$port" ping
  export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
fi

if [ -z "${TEST_S3_ENDPOINT_URL:-}" ] && [ -x "$weed" ]; then
  # One process with a master, a volume server, a filer and the S3 gateway; every port
  # chosen here, so two checkouts can run their tests at the same time.
  # Each bucket takes volumes of its own (7 at first): 20 ran out at the fourth bucket.
  read -r -a ports <<<"$(free_ports 8)"
  key="passerelle-tests"
  secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  cat >"$tmp/s3.json" <<EOF
{"identities": [{"name": "tests", "credentials": [{"accessKey": "$key", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
EOF
  mkdir "$tmp/weed"
  "$weed" server -dir="$tmp/weed" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false \
    -master.port="${ports[0]}" -master.port.grpc="${ports[1]}" \
    -master.volumeSizeLimitMB=32 -volume.max=200 \
    -volume.port="${ports[2]}" -volume.port.grpc="${ports[3]}" \
    -filer -filer.port="${ports[4]}" -filer.port.grpc="${ports[5]}" \
    -s3 -s3.port="${ports[6]}" -s3.port.grpc="${ports[7]}" -s3.config="$tmp/s3.json" \
    -s3.port.iceberg=0 -s3.port.lance=0 >"$tmp/weed.log" 2>&1 &
  pids+=($!)
  wait_for SeaweedFS "$tmp/weed.log" listening "${ports[6]}"
  export TEST_S3_ENDPOINT_URL="http://127.0.0.1:${ports[6]}"
  export TEST_S3_ACCESS_KEY_ID="$key"
  export TEST_S3_SECRET_ACCESS_KEY="$secret"
fi

status=0
bash "$here/with-postgres.sh" "$@" || status=$?
exit "$status"
