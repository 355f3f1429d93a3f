#!/usr/bin/env bash
# Fleet benchmark (figures, not a test): `slipway fleet deploy` over 3 real hosts (network namespaces with their own sshd
# and dockerd, tests/Slipway.IntegrationTests/Fleet/fleet-hosts.sh) against the sum of the per-host `restart` runs it
# drives (the same `restart --source-commit C`), run by hand over ssh in the same session; and `--parallel 3` against
# host by host. The load average is printed at the start and the end: the machine is shared.
#
#   bench/fleet.sh [ROUNDS]        (default 3 rounds; each round commits a new greeting three times)
#
# SLIPWAY_BENCH_TRACE=DIR: the orchestrator's SLIPWAY_TRACE of each timed fleet deploy, as DIR/seq-R.tsv and DIR/par-R.tsv.
# SLIPWAY_BENCH_CLI: the Slipway command for the orchestrator and the hosts (default: ./slipway, the ReadyToRun launcher,
# built when stale). Needs root (ip netns), docker (the example image slipway/hello:local is built when missing).
# Everything it starts is stopped by PID and its namespaces removed on exit (also on Ctrl-C).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-3}
hosts_script="$root/tests/Slipway.IntegrationTests/Fleet/fleet-hosts.sh"
scenario="$root/tests/Slipway.IntegrationTests/Fleet/scenario"
fail() { echo "bench: FAILED: $*" >&2; exit 1; }

if [ -z "${SLIPWAY_BENCH_CLI:-}" ]; then
  "$root/slipway" version >/dev/null || fail "./slipway version"
  cli="$root/artifacts/slipway/slipway"
else
  cli=$SLIPWAY_BENCH_CLI
fi
docker image inspect slipway/hello:local >/dev/null 2>&1 || $cli --stack "$root/stacks/hello" build-containers >&2 || fail "build-containers"

R=$(mktemp -d /tmp/swfl-XXXXXX)
cleanup() { "$hosts_script" down "$R" >&2 || true; rm -rf "$R"; }
trap cleanup EXIT
"$hosts_script" up "$R" 3 || fail "fleet-hosts.sh up"
export SLIPWAY_SSH_CONFIG="$R/ssh_config"
for i in 1 2 3; do docker save slipway/hello:local | ssh -F "$R/ssh_config" "host$i" docker load >/dev/null; done
printf '#!/bin/sh\nexec %s "$@"\n' "$cli" >"$R/bin/slipway"; chmod +x "$R/bin/slipway"

# The operator repository: a bare remote every host reaches, the orchestrator's clone, a clone on each host. Its files
# are the fleet tests' (FleetScenario): tests/Slipway.IntegrationTests/Fleet/scenario/.
git init -q --bare --initial-branch=main "$R/ops.git"
git clone -q "$R/ops.git" "$R/ops" 2>/dev/null
cd "$R/ops"
git config user.name bench; git config user.email bench@slipway.invalid; git config commit.gpgsign false
cp -R "$scenario/stacks" .
mkdir -p deployments/web
spec() { sed "s|@GREETING@|$1|" "$scenario/spec.yml.in" >deployments/web/spec.yml; }
spec v0
sed -e "s|@REPO@|$R/host/ops|" -e "s|@SLIPWAY@|$R/bin/slipway|" -e "s|@DIR@|$R/host/deployments/web|" \
  -e '/^@HOST2@$/d' -e '/^@DEPLOYMENTS@$/d' "$scenario/fleet.yml.in" >fleet.yml
git add -A; git commit -qm v0; git push -q -u origin main 2>/dev/null
for i in 1 2 3; do ssh -F "$R/ssh_config" "host$i" "mkdir -p $R/host/deployments && git clone -q $R/ops.git $R/host/ops"; done
$cli fleet deploy --yes --parallel 3 >/dev/null 2>&1 || fail "first fleet deploy"

load0=$(cut -d' ' -f1-3 /proc/loadavg)
now() { date +%s.%N; }
commit() { spec "$1"; git commit -qam "$1"; git push -q 2>/dev/null; }
trace() {  # trace KIND ROUND COMMAND...: COMMAND, traced into SLIPWAY_BENCH_TRACE when it is set
  local kind=$1 round=$2; shift 2
  if [ -n "${SLIPWAY_BENCH_TRACE:-}" ]; then mkdir -p "$SLIPWAY_BENCH_TRACE"; SLIPWAY_TRACE="$SLIPWAY_BENCH_TRACE/$kind-$round.tsv" "$@"; else "$@"; fi
}
seq_t=() par_t=() sum_t=()
for r in $(seq 1 "$rounds"); do
  commit "seq-$r"; t0=$(now); trace seq "$r" $cli fleet deploy --yes >/dev/null 2>&1 || fail "fleet deploy (round $r)"; seq_t+=("$(echo "$(now) - $t0" | bc)")
  commit "par-$r"; t0=$(now); trace par "$r" $cli fleet deploy --yes --parallel 3 >/dev/null 2>&1 || fail "fleet deploy --parallel 3 (round $r)"; par_t+=("$(echo "$(now) - $t0" | bc)")
  commit "raw-$r"; total=0; c=$(git rev-parse HEAD)
  for i in 1 2 3; do
    t0=$(now)
    ssh -F "$R/ssh_config" "host$i" "$R/bin/slipway deployment --dir $R/host/deployments/web restart --source-commit $c" >/dev/null 2>&1 || fail "restart on host$i (round $r)"
    total=$(echo "$total + $(now) - $t0" | bc)
  done
  sum_t+=("$total")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms=$(median "${seq_t[@]}"); mp=$(median "${par_t[@]}"); mr=$(median "${sum_t[@]}")
echo "machine: $(nproc) cores, load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; $rounds rounds; cli: $cli"
printf '%-58s %8s s\n' "fleet deploy, 3 hosts, host by host (median)" "$ms"
printf '%-58s %8s s\n' "sum of the 3 per-host restarts over ssh (median)" "$mr"
printf '%-58s %8s s\n' "fleet deploy --parallel 3 (median)" "$mp"
printf 'ratio fleet deploy / sum of restarts: %s (target <= 1.15: SSH, prepare and gathering add <= 15%%)\n' "$(echo "scale=3; $ms / $mr" | bc)"
printf 'ratio --parallel 3 / host by host:    %s\n' "$(echo "scale=3; $mp / $ms" | bc)"
printf 'fleet overhead per host (host by host minus the sum, over 3): %s s\n' "$(echo "scale=2; ($ms - $mr) / 3" | bc)"
