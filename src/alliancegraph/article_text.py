"""An article's text, read from the file a curator names: UTF-8, bounded, never a pipe or a device."""

from __future__ import annotations

from pathlib import Path

from .errors import AllianceGraphError
from .files import RefusedRead, read_limited

#: Largest article accepted (a news report is a few tens of kilobytes).
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


def read_article(path: Path) -> str:
    """The article's text: UTF-8, not empty, not binary, at most :data:`MAX_ARTICLE_BYTES`."""
    try:
        raw = read_limited(path, MAX_ARTICLE_BYTES)
    except RefusedRead as refused:
        raise AllianceGraphError(f"cannot read article {path}: {refused.strerror}; is it an article?") from None
    except OSError as error:
        raise AllianceGraphError(f"cannot read article {path}: {(error.strerror or str(error)).lower()}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AllianceGraphError(f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8 first") from None
    if "\x00" in text:
        raise AllianceGraphError(f"{path} is not a text file")
    if not text.strip():
        raise AllianceGraphError(f"{path} is empty")
    return text
