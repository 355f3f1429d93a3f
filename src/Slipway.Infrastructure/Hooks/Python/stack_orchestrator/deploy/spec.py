from pathlib import Path

from stack_orchestrator.util import get_yaml


def _true(value):
    return str(value).lower() == "true"


class Spec:
    """A parsed spec.yml (obj) with the getters hooks use."""

    def __init__(self, file_path=None, obj=None):
        self.file_path = file_path
        self.obj = {} if obj is None else obj

    def __getitem__(self, item):
        return self.obj[item]

    def __contains__(self, item):
        return item in self.obj

    def get(self, item, default=None):
        return self.obj.get(item, default)

    def init_from_file(self, file_path: Path):
        with open(file_path, "r") as f:
            self.obj = get_yaml().load(f) or {}
        self.file_path = file_path

    def _section(self, key):
        return self.obj.get(key) or {}

    def get_image_registry(self):
        return self.obj.get("image-registry")

    def get_image_registry_config(self):
        return self.obj.get("registry-credentials")

    def get_volumes(self):
        return self.obj.get("volumes", {})

    def get_configmaps(self):
        return self.obj.get("configmaps", {})

    def get_http_proxy(self):
        return self._section("network").get("http-proxy", [])

    def get_acme_email(self):
        return self._section("network").get("acme-email", "")

    def get_annotations(self):
        return self.obj.get("annotations", {})

    def get_labels(self):
        return self.obj.get("labels", {})

    def get_replicas(self):
        return self.obj.get("replicas", 1)

    def get_node_affinities(self):
        return self.obj.get("node-affinities", [])

    def get_node_tolerations(self):
        return self.obj.get("node-tolerations", [])

    def get_privileged(self):
        return _true(self._section("security").get("privileged", "false"))

    def get_capabilities(self):
        return self._section("security").get("capabilities", [])

    def get_unlimited_memlock(self):
        return _true(self._section("security").get("unlimited-memlock", "false"))

    def get_deployment_type(self):
        return self.obj.get("deploy-to")

    def is_kubernetes_deployment(self):
        return self.get_deployment_type() in ("k8s", "k8s-kind")

    def is_kind_deployment(self):
        return self.get_deployment_type() == "k8s-kind"

    def is_docker_deployment(self):
        return self.get_deployment_type() == "compose"
