from __future__ import annotations

import json
from pathlib import Path

import pytest

import toneguard

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev.jsonl"


@pytest.fixture(scope="session")
def analyzer() -> toneguard.Analyzer:
    return toneguard.Analyzer()


@pytest.fixture(scope="session")
def dev_rows() -> list[dict]:
    if not DEV_CORPUS.exists():
        pytest.skip(f"{DEV_CORPUS} is not beside the project")
    return [json.loads(line) for line in DEV_CORPUS.read_text("utf-8").splitlines() if line.strip()]
