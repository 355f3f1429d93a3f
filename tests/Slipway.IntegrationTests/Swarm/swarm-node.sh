#!/usr/bin/env bash
# A single-node Docker Swarm for the integration tests, on a dockerd of its own: its own network namespace (so its
# iptables and bridges never touch the host's or the shared daemon's), --data-root, --exec-root, unix socket and
# --pidfile, reached from the host over a veth pair. Never touches the shared daemon.
#   swarm-node.sh start DIR NAME ADDR   start dockerd in netns NAME, node address ADDR (/30 with ADDR-1 on the host), swarm init;
#                                       a plain-http registry on ADDR-1 (the host's end) is trusted, for the registry login tests
#   swarm-node.sh stop DIR NAME         stop that dockerd by its PID, remove the netns, the veth and DIR
set -euo pipefail
cmd=$1 dir=$2 name=$3
host_if="${name:0:10}h" node_if="${name:0:10}n"
case "$cmd" in
start)
  addr=$4
  host_addr="${addr%.*}.$(( ${addr##*.} - 1 ))"
  mkdir -p "$dir"
  ip netns add "$name"
  ip link add "$host_if" type veth peer name "$node_if"
  ip link set "$node_if" netns "$name"
  ip addr add "$host_addr/30" dev "$host_if"
  ip link set "$host_if" up
  ip netns exec "$name" ip addr add "$addr/30" dev "$node_if"
  ip netns exec "$name" ip link set "$node_if" up
  ip netns exec "$name" ip link set lo up
  # nsenter, not 'ip netns exec': that one remounts /sys and hides the cgroup mounts dockerd needs.
  setsid nsenter --net="/run/netns/$name" dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$dir/docker.sock" \
    --pidfile "$dir/docker.pid" --containerd-namespace "$name" --containerd-plugins-namespace "$name-plugins" \
    --insecure-registry "$host_addr/32" \
    </dev/null >"$dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    DOCKER_HOST="unix://$dir/docker.sock" docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  DOCKER_HOST="unix://$dir/docker.sock" docker info >/dev/null || { tail -20 "$dir/dockerd.log" >&2; exit 1; }
  DOCKER_HOST="unix://$dir/docker.sock" docker swarm init --advertise-addr "$addr" >/dev/null
  ;;
stop)
  if [ -f "$dir/docker.pid" ]; then
    pid=$(cat "$dir/docker.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  ip netns del "$name" 2>/dev/null || true
  ip link del "$host_if" 2>/dev/null || true
  # dockerd unmounts its layers on a clean stop; whatever is left mounted under DIR is its own.
  grep -o " $dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start DIR NAME ADDR | stop DIR NAME" >&2; exit 2 ;;
esac
