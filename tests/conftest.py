import os
import sys

# the checkout's golden/ and tests/ packages (pyip itself comes from the installed package)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
