"""get_yaml() and the few stack helpers commands.py files call."""
from pathlib import Path

# Set by the bridge: the context Slipway wrote for this hook.
_slipway_context = None


class YamlUnavailable(RuntimeError):
    pass


class _PyYaml:
    """PyYAML behind ruamel's load/dump, for hosts without ruamel.yaml (Debian's python3-yaml)."""

    def __init__(self, module):
        self._yaml = module

    def load(self, stream):
        return self._yaml.safe_load(stream)

    def dump(self, data, stream=None):
        return self._yaml.safe_dump(data, stream, sort_keys=False, default_flow_style=False)


def get_yaml():
    try:
        from ruamel.yaml import YAML
    except ImportError:
        try:
            import yaml
        except ImportError:
            raise YamlUnavailable(
                "get_yaml() needs ruamel.yaml or PyYAML: install python3-yaml (apt-get install python3-yaml) or ruamel.yaml (pip install ruamel.yaml)"
            ) from None
        return _PyYaml(yaml)
    y = YAML()
    y.preserve_quotes = True
    y.indent(sequence=3, offset=1)
    return y


def get_config_file_dir():
    """The stack's config folder (laconic-so: its data/config)."""
    folder = (_slipway_context or {}).get("stack", {}).get("config_dir")
    if folder is None:
        raise RuntimeError("get_config_file_dir(): the stack has no config folder")
    return Path(folder)


def get_parsed_stack_config(stack=None):
    """The stack's stack.yml, parsed."""
    path = Path(stack or (_slipway_context or {})["stack"]["path"])
    with open(path / "stack.yml" if path.is_dir() else path, "r") as f:
        return get_yaml().load(f)
