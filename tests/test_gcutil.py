from __future__ import annotations

import gc

import pytest

from bastion.gcutil import collector_paused


def test_the_collector_is_off_inside_and_restored_after_even_on_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused(collect_after=True):
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
