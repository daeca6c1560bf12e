import sys

import pyip.startup
pyip.startup.install()      # as bin/pyip: pyip's own modules by a shorter path

from pyip.main import main  # noqa: E402

sys.exit(main())
