"""`python -m ofsted_kg COMMAND ...`: the same as the installed `ofsted-kg` command."""

import sys

from ofsted_kg.console import main

if __name__ == "__main__":
    sys.exit(main())
