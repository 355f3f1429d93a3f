#!/bin/sh
# Entrypoint of the slipway/hello image (FROM scratch + static busybox).
#   web      busybox httpd on port 80; "/" is a CGI page showing $GREETING and the counter's start count;
#            static files under /www (the compose file binds /www/motd.txt read-only)
#   counter  appends one line to /data/starts.log on every start, then sleeps until SIGTERM
# Both handle SIGTERM themselves, so they stop fast even without `init: true`.
set -e
mode=${1:-web}
case "$mode" in
  web)
    echo "hello web: serving on :80, GREETING=${GREETING:-}"
    httpd -f -p 80 -h /www &
    pid=$!
    trap 'kill -TERM $pid 2>/dev/null; exit 0' TERM INT
    wait $pid
    ;;
  counter)
    mkdir -p /data
    echo "start $(date -u +%Y-%m-%dT%H:%M:%SZ) $(hostname)" >>/data/starts.log
    echo "hello counter: start number $(wc -l </data/starts.log) recorded in /data/starts.log"
    trap 'echo "hello counter: stopping"; exit 0' TERM INT
    while :; do sleep 3600 & wait $! || true; done
    ;;
  *)
    exec "$@"
    ;;
esac
