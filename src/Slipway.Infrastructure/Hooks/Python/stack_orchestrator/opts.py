"""opts.o: the global flags of the Slipway command the hook runs in."""


class Options:
    def __init__(self, stack=None, quiet=False, verbose=False, dry_run=False, local_stack=False, debug=False, continue_on_error=False):
        self.stack = stack
        self.quiet = quiet
        self.verbose = verbose
        self.dry_run = dry_run
        self.local_stack = local_stack
        self.debug = debug
        self.continue_on_error = continue_on_error

    def __repr__(self):
        return f"Options({self.__dict__})"


class opts:
    o = Options()
