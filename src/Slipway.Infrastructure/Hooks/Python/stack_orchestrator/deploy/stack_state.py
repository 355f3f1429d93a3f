from enum import Enum


class State(Enum):
    CREATED = 1
    CONFIGURED = 2
    STARTED = 3
    STOPPED = 4
