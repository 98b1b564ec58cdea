"""A plain-text progress bar for management commands that do long work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

T = TypeVar("T")


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> None: ...


WIDTH = 30


def progress(items: Sequence[T], *, label: str, stream: Writable) -> Iterator[T]:
    """Yield `items`, redrawing one status line on `stream` as each is done."""
    total = len(items)
    for done, item in enumerate(items, start=1):
        yield item
        filled = WIDTH * done // total
        stream.write(f"\r{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
        stream.flush()
    if total:
        stream.write("\n")
