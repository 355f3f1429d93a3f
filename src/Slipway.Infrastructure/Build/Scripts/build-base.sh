# Slipway's build-base.sh: sourced by laconic-so style build.sh scripts (source $CERC_CONTAINER_BASE_DIR/build-base.sh)
# when their stack ships none. It turns the build contract's variables into $build_command_args for docker build.
if [[ -n "${CERC_SCRIPT_DEBUG:-}" ]]; then
    set -x
    # Names only: the environment may hold registry or npm tokens.
    echo "build environment (names): $(compgen -e | tr '\n' ' ')" >&2
fi
build_command_args=""
if [[ "${CERC_FORCE_REBUILD:-}" == "true" ]]; then
    build_command_args+=" --no-cache"
fi
if [[ -n "${CERC_CONTAINER_EXTRA_BUILD_ARGS:-}" ]]; then
    build_command_args+=" ${CERC_CONTAINER_EXTRA_BUILD_ARGS}"
fi
