"""``python -m dyads.serve [--db ...] [--host ...] [--port ...]``: the ``dyads serve`` command on its own."""
import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
