import sys

from pyip.main import main

sys.exit(main(sys.argv[1:]))
