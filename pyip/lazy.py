"""Functions imported on their first call."""


class Lazy:
    """A function imported on its first call: start-up pays only for what a command uses, and
    a -batch does not run an import statement per line."""
    __slots__ = ("module", "name", "fn")

    def __init__(self, module, name):
        self.module, self.name, self.fn = module, name, None

    def __call__(self, *args):
        fn = self.fn
        if fn is None:
            fn = self.fn = getattr(__import__(self.module, fromlist=[self.name]), self.name)
        return fn(*args)
