"""A damaged or foreign cache: detected, rebuilt or refused with a message naming `cache clear`, never a
silently wrong answer; and the cache deletes only what it made."""

from __future__ import annotations

import marshal

from alliancegraph import store as store_module
from alliancegraph.cache import cache_dir_for
from alliancegraph.store import CompiledStore, build

from conftest import TinyKB


def test_parse_results_of_another_version_of_the_parser_are_not_reused(tiny: TinyKB, monkeypatch):
    root = tiny.write()
    build(root)
    folder = cache_dir_for(root)
    # What an older parser might have made of the same bytes: records and index parts keyed by content alone.
    for name in [*(p.relative_to(folder) for p in (folder / "records").iterdir()), "index-parts.marshal"]:
        value = marshal.loads((folder / name).read_bytes())
        (folder / name).write_bytes(marshal.dumps(_relabel(value)))
    monkeypatch.setattr(store_module, "code_digest", lambda: "the digest of a newer version")
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia"


def _relabel(value):
    """``value`` with every label 'Serbia' changed, as a parser that read labels differently would have left it."""
    if isinstance(value, dict):
        return {key: ("Old Serbia" if key == "label" and item == "Serbia" else _relabel(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_relabel(item) for item in value]
    return value
