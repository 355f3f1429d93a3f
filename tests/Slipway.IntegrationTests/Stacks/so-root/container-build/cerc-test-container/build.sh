#!/usr/bin/env bash
# Builds cerc/test-container: FROM scratch + the host's static busybox (Debian busybox-static).
# SLIPWAY_IMAGE_TAG (else CERC_DEFAULT_CONTAINER_IMAGE_TAG, else cerc/test-container:local) is the tag.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tag=${SLIPWAY_IMAGE_TAG:-${CERC_DEFAULT_CONTAINER_IMAGE_TAG:-cerc/test-container:local}}
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "build.sh: $busybox not found: install busybox-static" >&2; exit 1; }

ctx=$(mktemp -d "${TMPDIR:-/tmp}/cerc-test-container-build.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
cp "$busybox" "$ctx/busybox"
cp entrypoint.sh env.cgi show.cgi "$ctx/"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY entrypoint.sh /entrypoint.sh
COPY env.cgi /www/cgi-bin/env
COPY show.cgi /www/cgi-bin/show
RUN ["/bin/busybox", "sh", "-c", "chmod 0755 /entrypoint.sh /www/cgi-bin/env /www/cgi-bin/show && mkdir -p /data /data2 /config /tmp && chmod 1777 /tmp"]
EXPOSE 80
ENTRYPOINT ["/entrypoint.sh"]
DOCKERFILE
echo "build.sh: docker build -t $tag" >&2
DOCKER_BUILDKIT=0 docker build -t "$tag" "$ctx"
