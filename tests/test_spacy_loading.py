"""Importing toneguard before spaCy leaves spaCy's CLI stack unloaded, and spaCy's CLI still works when asked for.

Each case runs in a fresh interpreter: what a process has imported is the thing
under test. The cases are written against spaCy's public behaviour (``spacy.cli``,
``spacy.info``), so they hold whichever supported spaCy version is installed;
if a spaCy release stopped importing its CLI at start-up, the stand-ins would
simply never be used and these cases would still pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# What spaCy's CLI pulls in and toneguard never uses.
CLI_STACK = ["spacy.cli.download", "spacy.cli.train", "weasel", "requests", "httpx"]


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_analyzing_loads_none_of_the_cli_stack():
    result = _run(
        f"""
        import json, sys
        import toneguard
        report = toneguard.analyze("Calm down. Just reboot the laptop.", customer="Outlook won't open!")
        print(json.dumps({{"loaded": [m for m in {CLI_STACK!r} if m in sys.modules], "findings": len(report.findings)}}))
        """
    )
    assert result["loaded"] == []
    assert result["findings"] > 0


def test_spacy_cli_works_after_toneguard():
    result = _run(
        """
        import json, sys
        import toneguard
        toneguard.Analyzer()
        import spacy
        import spacy.cli
        from spacy.cli import download
        info = spacy.info()
        print(json.dumps({
            "download": download.__module__,
            "cli_is_real": getattr(sys.modules["spacy.cli"], "__file__", None) is not None,
            "attribute_is_module": spacy.cli is sys.modules["spacy.cli"],
            "version": spacy.__version__ in info.values(),
        }))
        """
    )
    assert result["download"] == "spacy.cli.download"
    assert result["cli_is_real"] and result["attribute_is_module"]
    assert result["version"]


def test_cli_submodules_import_before_the_cli_is_used():
    result = _run(
        """
        import json
        import toneguard
        toneguard.Analyzer()
        import spacy.cli.info as info_module
        from spacy.cli._util import app
        import spacy
        print(json.dumps({"info": callable(info_module.info), "app": type(app).__name__, "cli_download": callable(spacy.cli.download)}))
        """
    )
    assert result == {"info": True, "app": "Typer", "cli_download": True}


def test_spacy_imported_first_is_left_alone():
    result = _run(
        """
        import json, sys
        import spacy
        import toneguard
        toneguard.Analyzer()
        print(json.dumps({"real": getattr(sys.modules["spacy.cli"], "__file__", None) is not None}))
        """
    )
    assert result["real"]
