"""The command line: `samenspel …` and `python -m bot …`."""
