import os
import shlex
import subprocess
import sys

from stack_orchestrator.deploy.deploy_types import VolumeMapping  # noqa: F401
from stack_orchestrator.opts import opts


class ContainerCommandFailed(RuntimeError):
    pass


def run_container_command(ctx, service, command, mounts):
    """Runs `sh -c command` in a one-off container of the compose service (docker compose run --rm), with the
    mounts and the host user, in the compose project Slipway's own compose calls use. Returns (output, 0); a
    failing command raises, as laconic-so's deployer did."""
    compose = getattr(ctx, "_compose", None)
    if not compose:
        raise ContainerCommandFailed("run_container_command: this hook has no compose project to run a container in")
    args = [compose["program"], *compose["arguments"], "run", "--rm", "--no-deps", "-T",
            "--entrypoint", "sh", "--user", f"{os.getuid()}:{os.getgid()}"]
    for mount in mounts:
        args += ["--volume", f"{mount.host_path}:{mount.container_path}"]
    args += [service, "-c", command]
    environment = dict(os.environ)
    for key, value in compose["environment"].items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    if opts.o.debug:
        print(f"Running this command in {service} container: {command}")
    print(f"slipway: {shlex.join(args)}", file=sys.stderr, flush=True)
    done = subprocess.run(args, cwd=compose.get("working_directory"), env=environment,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise ContainerCommandFailed(f"run_container_command: '{command}' in {service} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return (done.stdout, 0)
