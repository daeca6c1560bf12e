"""The command's start-up: pyip's own modules found and loaded by a shorter path than
importlib's.

A command imports ~30 of pyip's small modules, and CPython's path-based import costs ~0.1 ms
a module before its code runs (the finder's stats, the spec's and loader's properties, the
.pyc's checks, all in Python) -- a quarter of what a reading command costs over
`python3 -c pass`.  For pyip's own modules, where the layout is known, this finder reads the
module's .pyc (the one pip's compileall or an earlier import wrote), checks it against its
source as the standard loader does (magic number, timestamp flags, the source's mtime and
size) and hands the code to a SourceFileLoader that runs it: the module ends up with the
same __file__, __cached__, __spec__, __path__ and loader methods (tracebacks, inspect,
importlib.resources) as importlib gives it.  Anything else -- a stale, hash-based, missing
or unreadable .pyc, a name it does not know -- is left to importlib, which compiles and
caches as usual.

Only bin/pyip and `python -m pyip` install it: a program importing pyip keeps Python's own
import system untouched.
"""
import sys
from _frozen_importlib import ModuleSpec
from _frozen_importlib_external import MAGIC_NUMBER, SourceFileLoader
from marshal import loads
from posix import stat

_TAG = sys.implementation.cache_tag


class _Loader(SourceFileLoader):
    """A SourceFileLoader whose code was read by the finder."""

    def __init__(self, fullname, path, code):
        SourceFileLoader.__init__(self, fullname, path)
        self.code = code

    def exec_module(self, module):
        code, self.code = self.code, None
        if code is None:        # a reload: the standard way
            return SourceFileLoader.exec_module(self, module)
        exec(code, module.__dict__)


class PyipFinder:
    """A meta path finder for pyip.* under one directory (the pyip package's)."""

    def __init__(self, root):
        self.root = root

    def find_spec(self, fullname, path=None, target=None):
        if fullname[:5] != "pyip." or _TAG is None:
            return None
        try:
            return self._spec(fullname)
        except Exception:           # whatever went wrong, importlib knows better
            return None

    def _spec(self, fullname):
        rel = fullname[5:].replace(".", "/")
        base = "%s/%s" % (self.root, rel)
        package = False
        try:
            st = stat(base + ".py")
            source = base + ".py"
            where, stem = base.rpartition("/")[::2]
        except OSError:
            source = base + "/__init__.py"
            st = stat(source)
            package = True
            where, stem = base, "__init__"
        cached = "%s/__pycache__/%s.%s.pyc" % (where, stem, _TAG)
        with open(cached, "rb") as f:
            data = f.read()
        # the header the standard loader checks: magic, flags 0 (a timestamp pyc), the
        # source's mtime and size
        if data[:4] != MAGIC_NUMBER or data[4:8] != b"\0\0\0\0" or \
                int.from_bytes(data[8:12], "little") != int(st.st_mtime) & 0xFFFFFFFF or \
                int.from_bytes(data[12:16], "little") != st.st_size & 0xFFFFFFFF:
            return None
        loader = _Loader(fullname, source, loads(memoryview(data)[16:]))
        spec = ModuleSpec(fullname, loader, origin=source, is_package=package)
        spec.has_location = True
        spec.cached = cached
        if package:
            spec.submodule_search_locations = [base]
        return spec


def install():
    """Put the finder first on sys.meta_path, for pyip's modules under the imported pyip
    package's directory (once)."""
    pyip = sys.modules.get("pyip")
    if pyip is None or any(type(f) is PyipFinder for f in sys.meta_path):
        return
    sys.meta_path.insert(0, PyipFinder(pyip.__path__[0]))
