"""Private helper: build large structures without the cyclic garbage collector scanning them over and over.

Python's cyclic collector runs each time allocations outnumber deallocations by a threshold, and an
oldest-generation collection walks every live container. Building a graph of a million relationships
allocates millions of dicts that are never garbage, so the collector's walks cost more than the building
itself (measured: 7.1 s against 3.2 s for the 500,000 relationships of a 100,000-stakeholder dataset).
The structures built here hold no reference cycles, so pausing the collector while they are built frees
nothing later that it would have freed now. See https://docs.python.org/3/library/gc.html.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block; re-enable it after if it was enabled."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
