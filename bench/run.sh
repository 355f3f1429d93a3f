#!/usr/bin/env bash
# Slipway benchmarks (figures, not tests). Prints the machine, then median/min/max tables and the targets.
#   bench/run.sh                      # all: cold start (and vs kubectl), init+create (200 services), start vs raw
#                                     # compose (and slipway's own cost with a stub docker, traced), pipeline,
#                                     # no-op GitOps restart vs raw git pull + compose up
#   bench/run.sh --only cold,create   # a subset (cold, create, start, pipeline, restart, k8s); these two need no Docker
#   bench/run.sh --wait-quiet 300     # first wait (at most 300 s) until the 1-min load average is below nproc
# Builds the CLI through the ./slipway launcher (ReadyToRun, artifacts/slipway/) when stale, builds the
# example image slipway/hello:local when missing, then runs bench/Slipway.Bench in Release.
# Docker traffic stays local; every compose project the bench creates is removed at the end (also on Ctrl-C).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

fail() { echo "bench: FAILED: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || fail "dotnet is not on PATH (run scripts/setup.sh)"

needs_docker=1
case " $* " in *" --only "*) [[ "$*" == *start* || "$*" == *pipeline* || "$*" == *restart* ]] || needs_docker=0 ;; esac
if [ $needs_docker = 1 ]; then
  command -v docker >/dev/null 2>&1 || fail "docker is not installed (scripts/setup.sh installs it; --only cold,create runs without it)"
  docker info >/dev/null 2>&1 || fail "the Docker Engine does not answer ('docker info' failed; scripts/setup.sh starts dockerd)"
  docker compose version >/dev/null 2>&1 || fail "the Docker Compose v2 plugin is missing ('docker compose version' failed)"
fi

echo "bench: building the CLI if stale (./slipway version) ..." >&2
./slipway version >/dev/null || fail "./slipway version"

if [ $needs_docker = 1 ] && ! docker image inspect slipway/hello:local >/dev/null 2>&1; then
  echo "bench: building the example image slipway/hello:local ..." >&2
  ./slipway --stack stacks/hello build-containers >&2 || fail "build-containers"
fi

echo "bench: building bench/Slipway.Bench (Release) ..." >&2
DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet build bench/Slipway.Bench/Slipway.Bench.csproj -c Release --nologo -v quiet >&2 \
  || fail "dotnet build bench/Slipway.Bench"

DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 exec dotnet run --project bench/Slipway.Bench/Slipway.Bench.csproj -c Release --no-build -- --repo "$root" "$@"
