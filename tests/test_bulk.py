"""The cyclic collector around bulk work: paused inside ``paused_gc``, and what a block builds in a
command's ``kept_heap`` kept out of later collections; outside a command nothing is kept."""

from __future__ import annotations

import gc

from stakeholder_graph._bulk import kept_heap, paused_gc


def _build() -> list[list]:
    return [[i] for i in range(1000)]  # lists: always tracked by the collector


def test_paused_gc_pauses_and_restores():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_a_block_in_a_kept_heap_is_kept_and_let_go_after():
    try:
        with kept_heap():
            before = gc.get_freeze_count()
            with paused_gc():
                built = _build()
            assert gc.get_freeze_count() >= before + len(built)  # the dicts built are kept, not walked again
        assert gc.get_freeze_count() == 0  # the command's end: the collector sees everything again
    finally:
        gc.unfreeze()


def test_outside_a_kept_heap_nothing_is_kept():
    # a server's requests: each block's objects stay collectable
    gc.unfreeze()
    with paused_gc():
        _build()
    assert gc.get_freeze_count() == 0
