"""The command's finder (pyip.startup) loads pyip's modules as importlib does -- same
attributes, same code -- and leaves to importlib every module whose .pyc it cannot vouch for."""
import compileall
import json
import os
import py_compile
import shutil
import subprocess
import sys

import pyip

MODULES = ["pyip.main", "pyip.xfrm.state", "pyip.xfrm.policy", "pyip.grammar", "pyip.link.modify",
           "pyip.xfrm.messages", "pyip.link", "pyip.xfrm"]

PROBE = r"""
import json, sys
if sys.argv[1] == "finder":
    import pyip.startup
    pyip.startup.install()
import importlib, inspect
for name in sys.argv[2:]:
    importlib.import_module(name)
out = {}
for name, mod in sorted(sys.modules.items()):
    if not name.startswith("pyip"):
        continue
    spec = mod.__spec__
    out[name] = {
        "file": mod.__file__, "cached": getattr(mod, "__cached__", None),
        "package": mod.__package__, "path": list(getattr(mod, "__path__", []) or []) or None,
        "origin": spec.origin, "spec_cached": spec.cached, "has_location": spec.has_location,
        "search": spec.submodule_search_locations and list(spec.submodule_search_locations),
        "names": sorted(n for n in vars(mod) if n not in ("__loader__", "__spec__",
                                                            "__builtins__")),
        "source": inspect.getsource(mod) == open(mod.__file__).read(),
        "loader": type(mod.__loader__).__name__,
    }
print(json.dumps(out))
"""


def _copy(tmp_path):
    """pyip's package in a directory of its own, its .pyc files written as pip's compileall
    writes them (timestamp-checked)."""
    root = tmp_path / "site"
    shutil.copytree(os.path.dirname(pyip.__file__), root / "pyip",
                    ignore=shutil.ignore_patterns("__pycache__"))
    assert compileall.compile_dir(str(root / "pyip"), quiet=1)
    return root


def _probe(root, how, modules=MODULES):
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    p = subprocess.run([sys.executable, "-c", PROBE, how] + modules, env=env, cwd=str(root),
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def test_pyips_modules_load_by_the_finder_as_importlib_loads_them(tmp_path):
    root = _copy(tmp_path)
    plain, fast = _probe(root, "plain"), _probe(root, "finder")
    del fast["pyip.startup"]
    fast["pyip"]["names"].remove("startup")     # the finder's module, an attribute of pyip
    assert set(plain) == set(fast)
    for name in plain:
        loader = fast[name].pop("loader")
        assert plain[name].pop("loader") == "SourceFileLoader"
        assert fast[name] == plain[name], name
        # all but the package (and its version), which load before the finder
        assert loader == ("SourceFileLoader" if name in ("pyip", "pyip.version")
                          else "_Loader"), name


def test_a_module_whose_source_changed_is_left_to_importlib(tmp_path):
    root = _copy(tmp_path)
    source = root / "pyip" / "xfrm" / "state.py"
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 5 * 10**9))
    fast = _probe(root, "finder", ["pyip.xfrm.state"])
    assert fast["pyip.xfrm.state"]["loader"] == "SourceFileLoader"
    assert fast["pyip.xfrm.common"]["loader"] == "_Loader"


def test_a_hash_based_pyc_is_left_to_importlib(tmp_path):
    root = _copy(tmp_path)
    py_compile.compile(str(root / "pyip" / "grammar.py"),
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    fast = _probe(root, "finder", ["pyip.grammar"])
    assert fast["pyip.grammar"]["loader"] == "SourceFileLoader"


def test_a_missing_or_foreign_pyc_is_left_to_importlib(tmp_path):
    root = _copy(tmp_path)
    cache = root / "pyip" / "__pycache__"
    tag = sys.implementation.cache_tag
    (cache / ("words.%s.pyc" % tag)).unlink()
    pyc = cache / ("opts.%s.pyc" % tag)
    pyc.write_bytes(b"\0\0\0\0" + pyc.read_bytes()[4:])        # another Python's magic
    fast = _probe(root, "finder", ["pyip.words", "pyip.opts"])
    assert fast["pyip.words"]["loader"] == "SourceFileLoader"
    assert fast["pyip.opts"]["loader"] == "SourceFileLoader"
