#!/usr/bin/env bash
# Bench: 'slipway deployment start' on a single-node swarm against the raw tool it drives, measured in the same run:
# 'docker stack deploy' of the same rendered stack file plus a wait for convergence (every service's update done and
# its replicas running, polled every 0.2 s). Each round changes web's greeting, so both sides roll one service.
# The swarm is a dockerd of the bench's own (tests/Slipway.IntegrationTests/Swarm/swarm-node.sh: own network
# namespace, data root, socket, pidfile), stopped by PID at the end; the shared daemon is never put in swarm mode.
#   bench/swarm.sh [ROUNDS]      (default 5; prints median/min/max and the ratio, target <= 1.1)
#   SLIPWAY_BENCH_CLI=PATH       the CLI to time (default ./slipway, the ReadyToRun launcher)
#   SLIPWAY_BENCH_TRACE=DIR      also write each Slipway round's SLIPWAY_TRACE to DIR/round-N.tsv (where its time went)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-5}
work=$(mktemp -d /tmp/slipway-swarm-bench.XXXXXX)
name="slswb$$"; name=${name:0:10}
node="$work/node"
script="$root/tests/Slipway.IntegrationTests/Swarm/swarm-node.sh"
cleanup() { bash "$script" stop "$node" "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

cd "$root"
slipway=${SLIPWAY_BENCH_CLI:-./slipway}
"$slipway" version >/dev/null
docker image inspect slipway/hello:local >/dev/null 2>&1 || "$slipway" --stack stacks/hello build-containers >&2
bash "$script" start "$node" "$name" 10.214.15.2
wrapper="$work/docker"
printf '#!/bin/sh\nDOCKER_HOST=unix://%s/docker.sock exec docker "$@"\n' "$node" > "$wrapper"
chmod +x "$wrapper"
docker save slipway/hello:local | "$wrapper" load >/dev/null

export SLIPWAY_DOCKER="$wrapper"
"$slipway" --stack bench/swarm-stack deploy init --deploy-to swarm --config GREETING=v0 --output "$work/spec.yml" >/dev/null 2>&1
"$slipway" deploy create --spec-file "$work/spec.yml" --deployment-dir "$work/d" >/dev/null 2>&1
"$slipway" deployment --dir "$work/d" start >/dev/null 2>&1
raw_stack=rawbench

now() { date +%s.%N; }
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.3f\n", a - b }'; }
converged() { # every service of stack $1: update not in progress, running tasks == replicas
  local s
  for s in $("$wrapper" service ls --quiet --filter "label=com.docker.stack.namespace=$1"); do
    local state; state=$("$wrapper" service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$s")
    [ "$state" = "updating" ] && return 1
    local want; want=$("$wrapper" service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$s")
    local have; have=$("$wrapper" service ps --filter desired-state=running --format '{{.CurrentState}}' "$s" | grep -c '^Running' || true)
    [ "$have" -ge "$want" ] || return 1
  done
}
raw_round() { # $1: greeting
  sed "s/GREETING: \"[^\"]*\"/GREETING: \"$1\"/" "$work/d/swarm/stack.yml" > "$work/raw.yml"
  local t0; t0=$(now)
  "$wrapper" stack deploy --with-registry-auth --prune --resolve-image never --compose-file "$work/raw.yml" "$raw_stack" >/dev/null
  sleep 0.2
  until converged "$raw_stack"; do sleep 0.2; done
  elapsed "$t0"
}
slipway_round() { # $1: greeting
  sed -i "s/^  GREETING: .*/  GREETING: \"$1\"/" "$work/spec.yml"
  "$slipway" deploy create --spec-file "$work/spec.yml" --deployment-dir "$work/d" --update >/dev/null 2>&1
  local t0; t0=$(now)
  # A failed round says why (its output), instead of ending the bench silently.
  SLIPWAY_TRACE=${SLIPWAY_BENCH_TRACE:+$SLIPWAY_BENCH_TRACE/round-$1.tsv} \
    "$slipway" deployment --dir "$work/d" start >"$work/start.out" 2>&1 || { cat "$work/start.out" >&2; return 1; }
  elapsed "$t0"
}
raw_round r0 >/dev/null # the raw stack's first deploy (creates it), not measured

stats() { sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f %.2f\n", a[int((NR+1)/2)], a[1], a[NR]}'; }
s_times=() r_times=()
for i in $(seq 1 "$rounds"); do
  s_times+=("$(slipway_round "s$i")")
  r_times+=("$(raw_round "r$i")")
done
read -r s_med s_min s_max < <(printf '%s\n' "${s_times[@]}" | stats)
read -r r_med r_min r_max < <(printf '%s\n' "${r_times[@]}" | stats)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-44s %8s %8s %8s\n' "swarm rollout of one service ($rounds rounds)" median min max
printf '%-44s %8s %8s %8s\n' "slipway deployment start" "$s_med" "$s_min" "$s_max"
printf '%-44s %8s %8s %8s\n' "docker stack deploy + convergence wait" "$r_med" "$r_min" "$r_max"
echo "ratio (median): $(awk -v a="$s_med" -v b="$r_med" 'BEGIN { printf "%.2f", a / b }') (target <= 1.1)"
