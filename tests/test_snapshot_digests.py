"""Every answer on a sample of the real replies in ../shared is what it was when the digests were written.

``tests/data/snapshot_digests.json`` holds, for one row in ten of each source
``benchmarks/snapshot.py`` reads, the SHA-256 of that row's whole report (no
text of the data). A speed or refactoring change must leave every one of them
as it is; a deliberate rule change regenerates the file
(``python benchmarks/snapshot.py --digests tests/data/snapshot_digests.json``)
and says so in its commit.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "benchmarks"))
import snapshot  # noqa: E402

DIGESTS = REPO / "tests" / "data" / "snapshot_digests.json"

pytestmark = pytest.mark.skipif(not (SHARED / "data").exists(), reason="../shared/data is not beside the project")


def test_sampled_real_replies_get_the_pinned_answers():
    pinned = json.loads(DIGESTS.read_text("utf-8"))["digests"]
    assert len(pinned) > 1000, "the digest file pins too few rows to mean anything"
    current = snapshot.digests(SHARED)
    missing = sorted(set(pinned) - set(current))
    changed = sorted(key for key in pinned if key in current and current[key] != pinned[key])
    added = sorted(set(current) - set(pinned))
    assert not missing and not added, f"the sampled rows changed (data changed?): missing {missing[:5]}, new {added[:5]}"
    assert not changed, (
        f"{len(changed)} of {len(pinned)} pinned answers changed, e.g. {changed[:5]}; "
        "compare full snapshots (benchmarks/snapshot.py --out / --compare) to see how, and regenerate the "
        "digests only if the change is deliberate"
    )

