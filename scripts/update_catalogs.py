"""Refresh the translation catalogs from the source: extract, then merge into nl and en.

New messages arrive in `locales/nl/.../messages.po` with an empty translation (fill them in);
in the English catalog the English message id is copied in as its translation, to be refined.
Run with `make locales`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "locales" / "messages.pot"


def main() -> int:
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *babel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "__",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(POT),
            "bot",
            "handlers",
            "scheduler",
            "webapp",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for locale in ("nl", "en"):
        po = ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        subprocess.run(
            [*babel, command, "-i", str(POT), "-l", locale, "-o", str(po), "--no-wrap"]
            + (["--ignore-obsolete", "--no-fuzzy-matching"] if command == "update" else []),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        if locale == "en":
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            for message in catalog:
                if isinstance(message.id, tuple):  # a count: singular and plural forms
                    forms = message.string if isinstance(message.string, tuple) else ()
                    message.string = tuple(
                        form or message.id[min(n, 1)]
                        for n, form in enumerate(forms or ("",) * len(message.id))
                    )
                elif message.id and not message.string:
                    message.string = message.id
            with po.open("wb") as handle:
                write_po(handle, catalog, width=0, omit_header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
