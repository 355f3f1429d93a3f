import os
from pathlib import Path

from stack_orchestrator.util import get_yaml
from stack_orchestrator.deploy.spec import Spec
from stack_orchestrator.deploy.stack import Stack


class DeploymentContext:
    """D as create() and start() see it. spec and stack are read from D on first use."""

    def __init__(self):
        self.deployment_dir = None
        self.id = None
        self.deployment_id = None
        self.command_context = None
        self._spec = None
        self._stack = None
        self._compose = None

    @property
    def spec(self):
        if self._spec is None:
            self._spec = Spec()
            self._spec.init_from_file(self.get_spec_file())
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    @property
    def stack(self):
        if self._stack is None:
            self._stack = Stack(self.spec.obj.get("stack"))
            self._stack.init_from_file(self.get_stack_file())
            if isinstance(self._stack.obj, dict) and self._stack.obj.get("name"):
                self._stack.name = self._stack.obj["name"]
        return self._stack

    @stack.setter
    def stack(self, value):
        self._stack = value

    def get_stack_file(self):
        return self.deployment_dir / "stack.yml"

    def get_spec_file(self):
        return self.deployment_dir / "spec.yml"

    def get_env_file(self):
        return self.deployment_dir / "config.env"

    def get_deployment_file(self):
        return self.deployment_dir / "deployment.yml"

    def get_compose_dir(self):
        return self.deployment_dir / "compose"

    def get_compose_file(self, name):
        return self.get_compose_dir() / f"docker-compose-{name}.yml"

    def get_cluster_id(self):
        return self.id

    def init(self, dir):
        self.deployment_dir = Path(dir).absolute()
        self._spec = None
        self._stack = None
        with open(self.get_deployment_file(), "r") as f:
            obj = get_yaml().load(f) or {}
        self.id = obj.get("cluster-id")
        self.deployment_id = obj.get("deployment-id", self.id)

    def modify_yaml(self, file_path, modifier_func):
        """Loads a YAML file of D, lets modifier_func change it, writes it back; a file outside D is refused."""
        # Symbolic links and '..' are resolved first: a path that only looks as if it were in D is outside it.
        real = Path(os.path.realpath(Path(file_path).absolute()))
        if not real.is_relative_to(Path(os.path.realpath(self.deployment_dir))):
            raise ValueError(f"File is not inside deployment directory: {file_path}")
        yaml = get_yaml()
        with open(real, "r") as f:
            data = yaml.load(f)
        modifier_func(data)
        with open(real, "w") as f:
            yaml.dump(data, f)
