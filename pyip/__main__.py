import pyip.startup
pyip.startup.install()      # as bin/pyip: pyip's own modules by a shorter path

from pyip.command_line import command  # noqa: E402

command()
