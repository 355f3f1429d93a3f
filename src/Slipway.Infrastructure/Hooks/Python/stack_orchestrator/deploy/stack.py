from pathlib import Path

from stack_orchestrator.util import get_yaml


class Stack:
    """A stack's name and its parsed stack.yml (obj)."""

    def __init__(self, name):
        self.name = name
        self.obj = None

    def init_from_file(self, file_path: Path):
        with open(file_path, "r") as f:
            self.obj = get_yaml().load(f)
