#!/usr/bin/env bash
# Slipway's default-build.sh: default-build.sh IMAGE-TAG BUILD-DIR builds BUILD-DIR with its Containerfile or
# Dockerfile (or $CERC_CONTAINER_BUILD_DOCKERFILE), with the contract's $build_command_args.
source "${CERC_CONTAINER_BASE_DIR}/build-base.sh"
if [[ $# -ne 2 ]]; then
    echo "usage: default-build.sh IMAGE-TAG BUILD-DIR" >&2
    exit 2
fi
tag=$1
dir=$2
file=${CERC_CONTAINER_BUILD_DOCKERFILE:-}
if [[ -z "$file" ]]; then
    if [[ -f "$dir/Containerfile" ]]; then file="$dir/Containerfile"; else file="$dir/Dockerfile"; fi
fi
# shellcheck disable=SC2086  # build_command_args is word-split on purpose
docker build -t "$tag" ${build_command_args} -f "$file" "$dir"
