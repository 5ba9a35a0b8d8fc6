"""Calls run in forked processes that share this one's memory (copy on write), for the build's
graph-wide checks: each child runs one call and sends back its answer (pickled) or its error.

multiprocessing.Pool, used before, replaces a worker the kernel kills (out of memory: the
England graph's check holds gigabytes) and then waits for the lost task's answer for ever: the
build hung. Here each child is watched through its own sentinel, so one that ends without an
answer ends the wait at once, as WorkerDied (exit code 7, nothing written).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

from ..model.user_errors import WorkerDied


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def forked(calls: Sequence[Callable[[], Any]], what: str, method: str = "fork") -> Iterator[Callable[[], list]]:
    """Each of `calls` started now in a forked child (it sees this process's memory as it is
    now); yields a function that waits for their answers, in order, raising a child's own
    error, or WorkerDied naming how a child ended without an answer. On leaving, a child
    still running (the caller failed meanwhile) is killed. `method` "forkserver": each child
    is forked from a fork server instead, and gets its call pickled."""
    context = multiprocessing.get_context("forkserver") if method == "forkserver" else multiprocessing.get_context("fork")
    children = []
    try:
        # What exists at the fork is left to this process's collector (gc.freeze): a
        # collection in a child visited the build's millions of objects and copied every page
        # it touched (a rebuild's check took 4.4 CPU s in a child, 1.7 in the build's process).
        gc.freeze()
        try:
            for call in calls:
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_answer, args=(call, sender), daemon=True)
                child.start()
                sender.close()  # the child's end: so a dead child's pipe reads as closed
                children.append((child, receiver))
        finally:
            gc.unfreeze()
        answers: dict[int, Any] = {}

        def collect() -> list:
            waiting = {receiver: i for i, (_, receiver) in enumerate(children) if i not in answers}
            while waiting:
                for ready in wait(list(waiting)):
                    i = waiting.pop(ready)  # type: ignore[call-overload]
                    answers[i] = _received(ready, children[i][0], what)  # type: ignore[arg-type]
            return [answers[i] for i in range(len(children))]

        yield collect
    finally:
        for child, receiver in children:
            if child.is_alive():
                child.kill()
            child.join()
            receiver.close()


def _answer(call: Callable[[], Any], sender: Connection) -> None:
    try:
        outcome = ("answer", call())
    except BaseException as error:  # noqa: BLE001  (sent to the parent, which raises it)
        outcome = ("error", error)
    try:
        sender.send(outcome)
    except Exception as error:  # noqa: BLE001  (an error that cannot be pickled: its text instead)
        sender.send(("error", RuntimeError(f"{type(outcome[1]).__name__}: {error}")))
    sender.close()
    os._exit(0)  # no atexit handlers nor flushing of the parent's copied buffers in the child


def _received(receiver: Connection, child, what: str):
    try:
        kind, value = receiver.recv()
    except EOFError:  # the child's end closed with nothing sent: it died
        child.join()
        raise WorkerDied(f"{what}: its process (pid {child.pid}) {_ended(child.exitcode)}; nothing written") from None
    if kind == "error":
        raise value
    return value


def _ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        guess = " (the kernel ends a process out of memory so)" if name == "SIGKILL" else ""
        return f"was killed by {name}{guess}"
    return f"ended with exit code {exitcode} without an answer"
