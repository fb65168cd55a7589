from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import toneguard

# The suite parses toy and broken rules files; their parses must not land in the user's own cache
# folder. Set before any test runs, so the command-line subprocesses inherit it too.
TEST_CACHE = Path(tempfile.mkdtemp(prefix="toneguard-test-cache-"))
os.environ["TONEGUARD_CACHE_DIR"] = str(TEST_CACHE)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev.jsonl"

# A mix of clean, dismissive, clipped and technical drafts for batch-style tests.
SAMPLE_REPLIES = [
    "Just reboot the laptop and it will work.",
    "Hi Sam, thanks for waiting. I have reset your password and sent the link to your phone.",
    "Please flush the DNS cache and reauthenticate via SSO.",
    "As I already said, that is not our problem.",
    "No.",
    "Sorry for the trouble, the printer on floor 2 is fixed now. Let me know if it acts up again!",
    "Calm down, it's just a permissions thing.",
    "Obviously the laptop needs a re-image.",
]


@pytest.fixture(scope="session")
def analyzer() -> toneguard.Analyzer:
    return toneguard.Analyzer()


@pytest.fixture(scope="session")
def dev_rows() -> list[dict]:
    if not DEV_CORPUS.exists():
        pytest.skip(f"{DEV_CORPUS} is not beside the project")
    return [json.loads(line) for line in DEV_CORPUS.read_text("utf-8").splitlines() if line.strip()]


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(TEST_CACHE, ignore_errors=True)
