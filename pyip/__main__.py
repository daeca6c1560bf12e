import sys

from pyip.main import main

sys.exit(main())
