"""``python -m electoral`` runs the command line."""

import sys

from electoral.cli import main

sys.exit(main())
