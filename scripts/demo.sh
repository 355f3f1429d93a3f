#!/usr/bin/env bash
# README command (1): install what is missing, deploy the example stack stacks/hello on the local
# Docker Engine with Slipway, check that it answers, and print its URL and how to inspect/stop it.
# Safe to run again: an existing deployment is updated (deploy create --update) and restarted.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

stack=stacks/hello
spec=.deployments/hello-spec.yml
dir=.deployments/hello
greeting="Hello from Slipway"

fail() { echo "demo: FAILED: $*" >&2; exit 1; }
run() {  # print the command, run it, fail loudly if it fails
  echo "demo: \$ $(printf '%q ' "$@")" >&2
  "$@" || fail "'$*' exited with status $?"
}

scripts/setup.sh || fail "scripts/setup.sh"

run ./slipway --stack "$stack" build-containers

mkdir -p .deployments
if [ ! -d "$dir" ]; then
  if [ ! -f "$spec" ]; then
    run ./slipway --stack "$stack" deploy init --output "$spec" \
      --map-ports-to-host localhost-fixed-random --config GREETING="$greeting"
  fi
  run ./slipway --stack "$stack" deploy create --spec-file "$spec" --deployment-dir "$dir"
else
  run ./slipway --stack "$stack" deploy create --spec-file "$spec" --deployment-dir "$dir" --update
fi

run ./slipway deployment --dir "$dir" start

echo "demo: \$ ./slipway deployment --dir $dir port web 80" >&2
hp=$(./slipway deployment --dir "$dir" port web 80) || fail "'./slipway deployment --dir $dir port web 80' exited with status $?"
hp=$(printf '%s' "$hp" | tr -d '[:space:]')
[[ "$hp" =~ ^(.*):([0-9]+)$ ]] || fail "'port web 80' printed '$hp', expected HOST:PORT"
host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
# A wildcard bind address is reachable on loopback; test traffic only goes to 127.0.0.1.
case "$host" in 0.0.0.0|"[::]"|::|"") host=127.0.0.1 ;; esac
url="http://$host:$port/"

# The greeting the deployment was configured with (the operator may have edited the spec).
if [ -f "$dir/config.env" ]; then
  g=$(sed -n 's/^GREETING=//p' "$dir/config.env" | tail -n1)
  g=${g#\"}; g=${g%\"}; g=${g#\'}; g=${g%\'}
  [ -n "$g" ] && greeting=$g
fi

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 5 "$1"
  else
    busybox wget -q -T 5 -O - "$1"
  fi
}

page="" ok=0
for _ in $(seq 1 20); do  # start waits for health already; allow a few seconds of slack
  if page=$(fetch "$url" 2>&1) && grep -qF "$greeting" <<<"$page"; then ok=1; break; fi
  sleep 0.5
done
if [ $ok != 1 ]; then
  echo "--- response from $url ---" >&2
  printf '%s\n' "$page" | head -n 20 >&2
  fail "$url did not answer with the greeting '$greeting'"
fi
fetch "${url}motd.txt" >/dev/null 2>&1 || fail "${url}motd.txt did not answer"

cat <<EOF

The example stack is running: $url
  (page shows "$greeting"; static config file at ${url}motd.txt)

Inspect it:
  ./slipway deployment --dir $dir status
  ./slipway deployment --dir $dir ps
  ./slipway deployment --dir $dir logs web
Stop it:
  ./slipway deployment --dir $dir stop                    # keeps every volume
  ./slipway deployment --dir $dir stop --delete-volumes   # also removes the Docker volumes; host data under $dir/data stays
Run scripts/demo.sh again to update and restart it.
EOF
