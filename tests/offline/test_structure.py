"""The package's shape: modules import each other one way (no cycle among their imports, those
a function makes late to keep start-up short included), and nothing private (_name) is
taken from another module (by import, or as an attribute of the module: module._name)."""
import ast
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the generated tables (the standard library's C modules, _struct and the like, are imported
# for start-up time: only pyip's own names are looked at)
PUBLIC_UNDERSCORE = {"pyip._tables", "pyip._rules", "pyip._docs"}   # generated modules


def modules():
    found = {}
    for path in glob.glob(os.path.join(ROOT, "pyip", "**", "*.py"), recursive=True):
        name = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
        found[name[:-9] if name.endswith(".__init__") else name] = path
    return found


def imports(tree, top_level):
    nodes = tree.body if top_level else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno


def test_no_cycle_among_imports_not_even_late():
    """Every import statement counts, those inside functions too.  `from pkg import sub`
    of a submodule depends on the submodule; on the package only where it takes a name the
    package itself defines."""
    mods = modules()
    graph = {}
    for name, path in mods.items():
        deps = set()
        for module, names, _ in imports(ast.parse(open(path).read()), False):
            subs = ["%s.%s" % (module, n) for n in names if "%s.%s" % (module, n) in mods]
            own = len(subs) < len(names) or not names
            deps.update(m for m in ([module] if own else []) + subs if m in mods and m != name)
        graph[name] = deps
    cycles, done = [], set()

    def walk(name, stack):
        for dep in sorted(graph[name]):
            if dep in stack:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in done:
                walk(dep, stack + [dep])
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            walk(name, [name])
    assert cycles == []


def test_no_private_name_is_imported_from_another_module():
    taken = []
    for name, path in sorted(modules().items()):
        for module, names, line in imports(ast.parse(open(path).read()), False):
            if module.split(".")[0] != "pyip" or module in PUBLIC_UNDERSCORE:
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")
                       and "%s.%s" % (module, n) not in PUBLIC_UNDERSCORE]
            if module.split(".")[-1].startswith("_"):
                private.append(module)
            if private:
                taken.append("%s:%d %s from %s" % (os.path.relpath(path, ROOT), line,
                                                   ", ".join(private), module))
    assert taken == []


def test_no_private_name_is_reached_through_another_module():
    mods = modules()
    reached = []
    for name, path in sorted(mods.items()):
        tree = ast.parse(open(path).read())
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    if "%s.%s" % (node.module, a.name) in mods:
                        aliases[a.asname or a.name] = "%s.%s" % (node.module, a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in mods and a.asname:
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    node.value.id in aliases and node.attr.startswith("_") and \
                    not node.attr.startswith("__") and \
                    aliases[node.value.id] not in PUBLIC_UNDERSCORE:
                reached.append("%s:%d %s.%s" % (os.path.relpath(path, ROOT), node.lineno,
                                                aliases[node.value.id], node.attr))
    assert reached == []


def test_no_cycle_among_the_xfrm_printers_not_even_late():
    """The printing side of xfrm (the general printers, the listings' fast paths and runs,
    the monitor) imports one way, function-level imports included (policy_runs once took
    policy's names while policy imported it in list)."""
    mods = modules()
    ours = {"pyip.runs", "pyip.shapes", "pyip.xfrm.policy", "pyip.xfrm.policy_print",
            "pyip.xfrm.policy_runs", "pyip.xfrm.sa", "pyip.xfrm.sa_runs",
            "pyip.xfrm.state", "pyip.xfrm.monitor"}
    graph = {}
    for name in ours:
        deps = set()
        for module, names, _ in imports(ast.parse(open(mods[name]).read()), False):
            deps.update(m for m in [module] + ["%s.%s" % (module, n) for n in names]
                        if m in ours and m != name)
        graph[name] = deps
    cycles = []

    def walk(name, stack):
        for dep in sorted(graph[name]):
            if dep in stack:
                cycles.append(stack[stack.index(dep):] + [dep])
            else:
                walk(dep, stack + [dep])

    for name in sorted(graph):
        walk(name, [name])
    assert cycles == []
