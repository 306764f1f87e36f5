#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 (the Celery broker of the worker tests and
# of `make demo` with a worker). Installs and starts Debian's redis-server when missing. Idempotent.
set -euo pipefail
alive() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
alive && exit 0
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-setup: installing redis-server (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
echo "redis-setup: starting Redis..." >&2
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
  --dir /tmp --logfile /tmp/commerce-plugin-redis.log
for _ in $(seq 1 50); do alive && exit 0; sleep 0.1; done
echo "redis-setup: Redis did not start" >&2
exit 1
