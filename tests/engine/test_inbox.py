"""The loop's inbox keeps the order events happened in."""

from __future__ import annotations

from brickyard.compute.process import LaunchedProcess, ProcessExit, ProcessStarted
from brickyard.engine.inbox import Cancel, Inbox, Wake


def test_events_keep_their_order_while_the_loop_waits() -> None:
    """A task's start must never be handled after its own exit (the loop peeks one event
    while it waits; putting it back behind later events lost exits)."""
    inbox = Inbox()
    started = ProcessStarted(token=1, process=LaunchedProcess(pid=123, process_start=None))
    exited = ProcessExit(pid=123, status=0)
    inbox.put(started)
    inbox.put(exited)  # arrives while the loop is (about to be) waiting
    inbox.wait(0.1)
    assert inbox.has_waiting
    assert list(inbox.drain()) == [started, exited]
    assert not inbox.has_waiting


def test_an_empty_inbox_waits_and_drains_nothing() -> None:
    inbox = Inbox()
    inbox.wait(0.0)
    assert not inbox.has_waiting
    assert list(inbox.drain()) == []
    inbox.put(Wake())
    inbox.put(Cancel(1, None, hard=True))
    assert list(inbox.drain()) == [Wake(), Cancel(1, None, hard=True)]
