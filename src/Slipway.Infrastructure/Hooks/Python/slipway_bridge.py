"""Slipway's bridge to laconic-so's commands.py hooks.

Slipway writes the context of one hook (init, setup, create or start) as JSON and runs
`python3 slipway_bridge.py CONTEXT.json`; this loads each module named there, calls the hook with
context objects of the shim's stack_orchestrator package, and writes what it returned to the result
file. A hook's own sys.exit(N) is the exit code; any other exception exits 1 with its traceback.
"""
import importlib
import importlib.abc
import importlib.util
import json
import sys
from pathlib import Path


class _EarlyName(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Early stacks import laconic-so's package as `app`: the shim's modules under that name, when no real `app` exists."""

    def find_spec(self, name, path=None, target=None):
        if name == "app" or name.startswith("app."):
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return importlib.import_module("stack_orchestrator" + spec.name[len("app"):])

    def exec_module(self, module):
        pass


def _load(path, index):
    spec = importlib.util.spec_from_file_location(f"slipway_commands_{index}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(value):
    """The hook's result as JSON can hold it (ruamel's CommentedMap and friends are mappings and lists)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _command_context(ctx, types, opts):
    compose = ctx.get("compose") or {}
    cluster = types.ClusterContext(
        options=opts.o,
        cluster=compose.get("project"),
        compose_files=list(compose.get("files") or []),
        pre_start_commands=[],
        post_start_commands=[],
        config=None,
        env_file=compose.get("env_file"),
    )
    command_context = types.DeployCommandContext(stack=ctx["stack"]["path"], cluster_context=cluster, deployer=None)
    command_context._compose = ctx.get("compose")
    return command_context


def _deployment_context(ctx, command_context):
    from stack_orchestrator.deploy.deployment_context import DeploymentContext
    deployment = ctx["deployment"]
    context = DeploymentContext()
    context.deployment_dir = Path(deployment["dir"]).absolute()
    context.id = deployment["cluster_id"]
    context.deployment_id = deployment["deployment_id"]
    context.command_context = command_context
    context._compose = ctx.get("compose")
    return context


def main(context_file):
    with open(context_file, "r") as f:
        ctx = json.load(f)
    from stack_orchestrator import util
    from stack_orchestrator.opts import opts, Options
    from stack_orchestrator.deploy import deploy_types as types
    util._slipway_context = ctx
    sys.meta_path.append(_EarlyName())
    opts.o = Options(**ctx["opts"])
    hook = ctx["hook"]
    command_context = _command_context(ctx, types, opts)
    result = None
    for index, path in enumerate(ctx["modules"]):
        function = getattr(_load(path, index), hook, None)
        if not callable(function):
            continue
        print(f"slipway: running {hook}() of {path}", file=sys.stderr, flush=True)
        if hook == "init":
            result = function(command_context)
            break
        if hook == "setup":
            parameters = types.LaconicStackSetupCommand(**ctx["setup"])
            function(command_context, parameters, tuple(ctx["extra_args"]))
        elif hook == "create":
            function(_deployment_context(ctx, command_context), list(ctx["extra_args"]))
        elif hook == "start":
            function(_deployment_context(ctx, command_context))
        sys.stdout.flush()
    with open(ctx["result_file"], "w") as f:
        json.dump({"result": _plain(result)}, f)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stack_orchestrator.util import YamlUnavailable
    try:
        main(sys.argv[1])
    except YamlUnavailable as e:
        print(f"slipway: {e}", file=sys.stderr)
        sys.exit(1)
