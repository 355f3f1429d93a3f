#!/usr/bin/env bash
# Builds the slipway/hello image: FROM scratch + the host's static busybox (Debian busybox-static).
#
# Contract (how `slipway build-containers` calls it; laconic-so's variables are honoured as fallbacks):
#   working directory      this script's directory (the script also cd's there itself)
#   SLIPWAY_IMAGE_TAG      full tag to build; else CERC_DEFAULT_CONTAINER_IMAGE_TAG; else slipway/hello:local
#   SLIPWAY_BUILD_ARGS     extra `docker build` arguments, word-split (may be empty);
#                          else CERC_CONTAINER_EXTRA_BUILD_ARGS
#   SLIPWAY_FORCE_REBUILD  "true" adds --no-cache (CERC_FORCE_REBUILD=true too)
#   BUSYBOX                path of a static busybox binary (default /bin/busybox)
# Exit status is docker build's; nothing but the image is left behind (the build context is temporary).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

tag=${SLIPWAY_IMAGE_TAG:-${CERC_DEFAULT_CONTAINER_IMAGE_TAG:-slipway/hello:local}}
extra=${SLIPWAY_BUILD_ARGS-${CERC_CONTAINER_EXTRA_BUILD_ARGS:-}}
force=${SLIPWAY_FORCE_REBUILD:-${CERC_FORCE_REBUILD:-false}}
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ]; then
  echo "build.sh: $busybox not found: install Debian's busybox-static (scripts/setup.sh does)" >&2
  exit 1
fi
ldd_out=$(LC_ALL=C ldd "$busybox" 2>&1 || true)
if ! grep -qE 'not a dynamic executable|statically linked' <<<"$ldd_out"; then
  echo "build.sh: $busybox is dynamically linked; a FROM scratch image needs a static busybox (busybox-static)" >&2
  exit 1
fi

ctx=$(mktemp -d "${TMPDIR:-/tmp}/slipway-hello-build.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
cp "$busybox" "$ctx/busybox"
cp entrypoint.sh index.cgi "$ctx/"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY entrypoint.sh /entrypoint.sh
COPY index.cgi /www/cgi-bin/index.cgi
RUN ["/bin/busybox", "sh", "-c", "chmod 0755 /entrypoint.sh /www/cgi-bin/index.cgi && mkdir -p /data /tmp && chmod 1777 /tmp"]
EXPOSE 80
ENTRYPOINT ["/entrypoint.sh"]
CMD ["web"]
DOCKERFILE

args=(build -t "$tag")
[ "$force" = true ] && args+=(--no-cache)
# shellcheck disable=SC2206  # extra build args are word-split on purpose
[ -n "$extra" ] && args+=($extra)
args+=("$ctx")

echo "build.sh: docker ${args[*]}" >&2
# The classic builder is enough for this image and is all docker.io 20.10 + a CLI without buildx
# can do: DOCKER_BUILDKIT=1 is honoured only when the buildx plugin is present.
buildkit=${DOCKER_BUILDKIT:-0}
if [ "$buildkit" != 0 ] && ! docker buildx version >/dev/null 2>&1; then buildkit=0; fi
DOCKER_BUILDKIT=$buildkit docker "${args[@]}"
