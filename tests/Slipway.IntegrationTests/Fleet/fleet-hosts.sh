#!/usr/bin/env bash
# A fleet of real hosts on one machine, for the fleet tests and bench/fleet.sh.
#
#   fleet-hosts.sh up ROOT N      build N hosts under ROOT (a fresh, empty folder named swfl-XXXX)
#   fleet-hosts.sh down ROOT      stop everything `up` started (by PID) and remove its namespaces
#   fleet-hosts.sh stop-ssh ROOT I / start-ssh ROOT I   make host I unreachable / reachable again
#   fleet-hosts.sh stop-docker ROOT I   stop host I's dockerd (a node that goes down; `down` still cleans up)
#
# Each host i is:
#   - a network namespace swfl<tok>h<i> (tok: the 6 random characters of ROOT's name) with a veth to a bridge br0 that lives in its own namespace
#     swfl<tok>lan (10.213.0.0/24: the bridge is .1, host i is .(10+i)); no interface, route or address is
#     added to the machine's own namespace, so the range cannot clash with anything outside ROOT;
#   - a private mount namespace in which ROOT/hosts/h<i>/fs is bind-mounted on ROOT/host, so every host sees
#     "its" files at the same path (ROOT/host/...) the way real machines do, while the orchestrator sees
#     each one's files under ROOT/hosts/h<i>/fs;
#   - its own dockerd (own --data-root, --exec-root, unix socket ROOT/hosts/h<i>/docker.sock, pidfile,
#     --bridge=none --iptables=false: the shared dockerd is never touched);
#   - its own sshd on 10.213.0.(10+i):(2200+i) with a test host key, the test client key, and
#     `SetEnv DOCKER_HOST=unix://ROOT/hosts/h<i>/docker.sock` for its sessions.
# The orchestrator (root namespace) reaches host<i> with the system ssh client and ROOT/ssh_config, whose
# ProxyCommand enters the bridge namespace (nsenter --net, busybox nc): ssh runs exactly as with real hosts.
# `down` kills the sshd and dockerd PIDs from their pidfiles, then every PID still in a host namespace
# (containerd, shims, containers), then deletes the namespaces; the private mount namespaces go with them.
set -euo pipefail

die() { echo "fleet-hosts: $*" >&2; exit 1; }

cmd=${1:-}; root=${2:-}
[ -n "$cmd" ] && [ -n "$root" ] || die "usage: fleet-hosts.sh up|down|stop-ssh|start-ssh ROOT [N|I]"
root=$(readlink -f "$root")
base=$(basename "$root")
case "$base" in swfl-????*) ;; *) die "ROOT must be named swfl-XXXX (got $base)";; esac
# The whole random part of ROOT's name (mkdtemp made it unique among live folders), so that two fleets built at once
# (the fleet tests, the swarm tests' nodes, a bench) never share a namespace name: interface names stay within
# Linux's 15 characters (swfl + 6 + h10a).
tok=${base#swfl-}; tok=${tok:0:6}
prefix="swfl$tok"
lan="${prefix}lan"

ns_of() { echo "${prefix}h$1"; }
ip_of() { echo "10.213.0.$((10 + $1))"; }
port_of() { echo "$((2200 + $1))"; }

start_sshd() {  # start_sshd I: sshd of host I inside its namespaces (the launcher's mount namespace)
  local i=$1 h="$root/hosts/h$1"
  # nsenter into the launcher's mount namespace (dockerd's), then the host's network namespace.
  local dpid; dpid=$(cat "$h/dockerd.pid")
  setsid nsenter --mount="/proc/$dpid/ns/mnt" --net="/var/run/netns/$(ns_of "$i")" \
    /usr/sbin/sshd -D -e -f "$h/sshd_config" </dev/null >>"$h/sshd.log" 2>&1 &
  local deadline=$((SECONDS + 20))
  until ssh -F "$root/ssh_config" -o ConnectTimeout=2 "host$i" true >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$h/sshd.log" >&2; die "sshd of host$i does not answer"; }
    sleep 0.1
  done
}

alive() {  # alive PID: running and not a zombie (a reparented child may never be reaped here)
  [ -r "/proc/$1/stat" ] || return 1
  local state; state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null || echo Z)
  [ "$state" != Z ]
}

stop_pidfiles() {  # stop_pidfiles FILE...: TERM all, wait up to 20 s for all, then KILL what is left
  local pids=() file pid
  for file in "$@"; do
    [ -f "$file" ] || continue
    pid=$(cat "$file" 2>/dev/null || true)
    rm -f "$file"
    [ -n "$pid" ] && alive "$pid" || continue
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  for _ in $(seq 1 200); do
    local left=0
    for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    [ $left = 1 ] || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

up() {
  local n=$1
  [ -z "$(ls -A "$root" 2>/dev/null)" ] || die "$root is not empty"
  mkdir -p "$root/host" "$root/bin"
  mkdir -p /run/sshd  # sshd's privilege separation directory (Debian's service makes it; there is no service here)
  chmod 0755 /run/sshd
  ssh-keygen -q -t ed25519 -N '' -C slipway-fleet-test -f "$root/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C slipway-fleet-host -f "$root/host_key"
  cp "$root/id_ed25519.pub" "$root/authorized_keys"
  : >"$root/known_hosts"
  : >"$root/ssh_config"

  ip netns add "$lan"
  ip -n "$lan" link set lo up
  ip -n "$lan" link add br0 type bridge
  ip -n "$lan" addr add 10.213.0.1/24 dev br0
  ip -n "$lan" link set br0 up

  for i in $(seq 1 "$n"); do
    local ns h ip port
    ns=$(ns_of "$i"); h="$root/hosts/h$i"; ip=$(ip_of "$i"); port=$(port_of "$i")
    mkdir -p "$h/fs" "$h/docker" "$h/x"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "${prefix}h${i}a" netns "$ns" type veth peer name "${prefix}h${i}b" netns "$lan"
    ip -n "$ns" addr add "$ip/24" dev "${prefix}h${i}a"
    ip -n "$ns" link set "${prefix}h${i}a" up
    ip -n "$lan" link set "${prefix}h${i}b" master br0 up

    cat >"$h/sshd_config" <<EOF
Port $port
ListenAddress $ip
HostKey $root/host_key
PidFile $h/sshd.pid
AuthorizedKeysFile $root/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
SetEnv DOCKER_HOST=unix://$h/docker.sock SLIPWAY_TEST_HOST=host$i
EOF
    cat >>"$root/ssh_config" <<EOF
Host host$i
  HostName $ip
  Port $port
  User root
  IdentityFile $root/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $root/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ProxyCommand nsenter --net=/var/run/netns/$lan /bin/busybox nc %h %p
EOF
    echo "[$ip]:$port $(cat "$root/host_key.pub")" >>"$root/known_hosts"

    # The launcher: a private mount namespace with this host's files on ROOT/host, dockerd in it.
    cat >"$h/launch.sh" <<EOF
#!/bin/sh
set -e
mount --make-rprivate /
mount --bind "$h/fs" "$root/host"
exec dockerd --data-root "$h/docker" --exec-root "$h/x" -H "unix://$h/docker.sock" --pidfile "$h/dockerd.pid" \
  --bridge=none --iptables=false --ip-masq=false
EOF
    chmod +x "$h/launch.sh"
    setsid nsenter --net="/var/run/netns/$ns" unshare --mount --propagation private "$h/launch.sh" \
      </dev/null >"$h/dockerd.log" 2>&1 &
  done

  for i in $(seq 1 "$n"); do
    local h="$root/hosts/h$i" deadline=$((SECONDS + 60))
    until [ -S "$h/docker.sock" ] && docker -H "unix://$h/docker.sock" version >/dev/null 2>&1; do
      [ $SECONDS -lt $deadline ] || { tail -n 30 "$h/dockerd.log" >&2; die "dockerd of host$i does not answer"; }
      sleep 0.1
    done
    start_sshd "$i"
  done
  echo "$n" >"$root/count"
}

down() {
  [ -d "$root" ] || return 0
  local n; n=$(cat "$root/count" 2>/dev/null || ls -d "$root"/hosts/h* 2>/dev/null | wc -l)
  local files=()
  for i in $(seq 1 "$n"); do files+=("$root/hosts/h$i/sshd.pid" "$root/hosts/h$i/dockerd.pid"); done
  stop_pidfiles "${files[@]}"
  for i in $(seq 1 "$n"); do
    local ns; ns=$(ns_of "$i")
    if ip netns list | grep -qw "$ns"; then
      # Whatever the dockerd left (containerd, shims, containers) is ours: it runs in our namespace.
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns del "$ns" || true
    fi
  done
  if ip netns list | grep -qw "$lan"; then
    for pid in $(ip netns pids "$lan" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$lan" || true
  fi
}

case "$cmd" in
  up) up "${3:?N}" ;;
  down) down ;;
  stop-ssh) stop_pidfiles "$root/hosts/h${3:?I}/sshd.pid" ;;
  start-ssh) start_sshd "${3:?I}" ;;
  stop-docker) stop_pidfiles "$root/hosts/h${3:?I}/dockerd.pid" ;;
  *) die "unknown command $cmd" ;;
esac
