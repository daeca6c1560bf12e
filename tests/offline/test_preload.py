"""A -batch loads, before its first line, every module a line of xfrm or link may import
late (issue 22: a module loaded mid-batch fails where ip, which has all its code, cannot)."""
import ast
import os
import subprocess
import sys

import pyip

ROOT = os.path.dirname(pyip.__file__)


def _late_imports():
    """(file, module) of every function-level import of a pyip module in pyip/xfrm and
    pyip/link."""
    for package in ("xfrm", "link"):
        for name in sorted(os.listdir(os.path.join(ROOT, package))):
            if not name.endswith(".py"):
                continue
            tree = ast.parse(open(os.path.join(ROOT, package, name)).read())
            for fn in ast.walk(tree):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in ast.walk(fn):
                    if isinstance(node, ast.ImportFrom) and node.module.startswith("pyip"):
                        yield name, node.module
                        for a in node.names:            # from pyip import netns
                            full = "%s.%s" % (node.module, a.name)
                            if os.path.exists(os.path.join(ROOT, *full.split(".")[1:]) + ".py"):
                                yield name, full
                    elif isinstance(node, ast.Import):
                        for a in node.names:
                            if a.name.startswith("pyip"):
                                yield name, a.name


# pyip's own commands a batch line may name, which load their modules when first used
OWN = ("pyip.check", "pyip.explain")


def test_a_batch_preloads_every_module_a_line_may_import_late():
    late = sorted({m for _, m in _late_imports() if not m.startswith(OWN)})
    assert "pyip.release" in late and "pyip.netns" in late
    p = subprocess.run([sys.executable, "-c", "import sys, pyip.batch; pyip.batch.preload(); "
                        "print(' '.join(sys.modules))"], capture_output=True, text=True,
                       check=True, env=dict(os.environ, PYTHONPATH=os.path.dirname(ROOT)))
    loaded = set(p.stdout.split())
    assert [m for m in late if m not in loaded] == []
