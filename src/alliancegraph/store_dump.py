"""The compiled graph streamed out as N-Triples while the store writes it, for an upload of any size."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pyoxigraph

from .store import CompiledStore, StoreError


@contextlib.contextmanager
def streamed_ntriples(compiled: CompiledStore, chunk_size: int = 1 << 20) -> Iterator[Iterator[bytes]]:
    """The compiled graph as N-Triples, in chunks read while the store writes them (no temporary file).

    The store writes into a pipe from a thread of its own; a failure there is raised
    where the chunks are read, before the last one, so an upload never ends as if whole.
    """
    import threading

    read_end, write_end = os.pipe()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with open(write_end, "wb", buffering=chunk_size) as sink:
                compiled.store.dump(sink, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        except BrokenPipeError:  # the reader stopped (the upload failed): nothing more to write
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the reader, which raises it
            failures.append(error)

    writer = threading.Thread(target=write, name="alliancegraph-dump", daemon=True)
    source = open(read_end, "rb", buffering=0)

    def chunks() -> Iterator[bytes]:
        while chunk := source.read(chunk_size):
            yield chunk
        writer.join()
        if failures:
            raise StoreError(f"cannot read the compiled store: {failures[0]}")

    writer.start()
    try:
        yield chunks()
    finally:
        source.close()  # a writer still writing gets a broken pipe and stops
        writer.join()

