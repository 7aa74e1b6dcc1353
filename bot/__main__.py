"""`python -m bot …`: the same command line as `samenspel …` (bot/cli/main.py)."""

import sys

from bot.cli.main import main

sys.exit(main())
