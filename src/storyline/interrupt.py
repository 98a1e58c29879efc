"""Stopping on SIGINT or SIGTERM, for the commands that write to the store.

The first signal raises `Interrupted` in the main thread, wherever it is. It is not an
`Exception`, so no `except Exception` on the way catches it. The CLI catches it at the
edge and calls `stop`, which prints one line saying what was kept and ends the process with
128 + the signal's number (130 for SIGINT, 143 for SIGTERM). A second signal ends the
process at once with that same code. A watchdog makes sure that the process ends within
`GRACE_SECONDS` of the first signal even if the main thread is stuck in a long call into a
library.

Worker processes (see stages.annotate) ignore both signals, so that a Ctrl-C sent to the
whole process group reaches only the parent; the parent registers them here with `adopt`,
and kills them when it stops, however it stops.

Only the standard library is imported here: `storyline.__main__` installs the handlers
before the heavy imports, so that a signal during start-up is handled too.
"""

from __future__ import annotations

import _thread
import atexit
import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any, NoReturn

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# The most the process takes to end after the first signal, whatever it was doing.
GRACE_SECONDS = 4.0


class Interrupted(BaseException):
    """The user (or the system) asked the process to stop: SIGINT or SIGTERM."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_lock = threading.Lock()  # guards _children and _reported
# The watchdog's pipe: Python's C-level signal handler writes the signal's number into it
# (signal.set_wakeup_fd) the moment a signal comes, even while the main thread is stuck in
# a call that will not let the Python-level handler run.
_wake_read, _wake_write = -1, -1
_first: int | None = None  # the signal that started the stop
_lost = False  # the Interrupted raised was swallowed (in a __del__, say): raise it again
_reported = False  # the edge has printed its line
_exit_code: int | None = None  # set once the command has finished: exit with this
_exit_signals = 0  # signals received since
_children: set[int] = set()  # worker processes to kill when the process ends early
_deferring = 0  # depth of `deferred` blocks in the main thread
_pending = False  # an Interrupted waits for the end of a `deferred` block


def install() -> None:
    """Handle SIGINT and SIGTERM as above; call once, from the main thread."""
    global _wake_read, _wake_write
    _wake_read, _wake_write = os.pipe()
    os.set_blocking(_wake_write, False)
    # The watchdog thread is started here, not by the signal: the handler may run while the
    # main thread holds one of threading's own locks, which starting a thread takes.
    threading.Thread(target=_watch, name="storyline-interrupt", daemon=True).start()
    for sig in SIGNALS:
        signal.signal(sig, _handle)
    signal.set_wakeup_fd(_wake_write, warn_on_full_buffer=False)
    sys.unraisablehook = _unraisable
    # Registered first, so run last: once the process is past its last wait, a signal is
    # ignored (Python would otherwise restore the default handlers as it shuts down, and
    # the signal would kill a process that has done its job).
    atexit.register(_ignore_signals)


def adopt(pid: int) -> None:
    """Kill this worker process if this process ends early."""
    with _lock:
        _children.add(pid)


def disown(pid: int) -> None:
    with _lock:
        _children.discard(pid)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold the Interrupted of a first signal back until the block is left, so that the
    block is never cut short halfway (in threads other than the main one: no effect, since
    signals are only handled in the main thread)."""
    global _deferring, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if not _deferring and _pending:
        _pending = False
        assert _first is not None
        raise Interrupted(_first)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (in this thread) for the duration: a process forked
    meanwhile starts with them blocked, and sets its own handling before it lets them in."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def ignore_in_worker() -> None:
    """In a worker process: ignore SIGINT and SIGTERM (the parent decides when it stops),
    let them in again if they were blocked, and die with the parent."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    _die_with_parent()


def stop(exc: Interrupted, line: str) -> NoReturn:
    """Print "interrupted: <line>" and end the process with exc's exit code, at once: the
    clean-up at exit (freeing the models, collecting garbage) can take seconds, and nothing
    needs it, since every write to the store is committed or rolled back as a whole."""
    if _claim_line():
        with contextlib.suppress(Exception):
            sys.stderr.write(f"interrupted: {line}\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    end_now(exc.exit_code)


def exiting(code: Any) -> None:
    """The command has finished and the process is exiting with ``code``: a first signal
    from now on lets it finish; a second one makes it exit at once with that code."""
    global _exit_code
    _exit_code = code if isinstance(code, int) else (0 if code is None else 1)


def _ignore_signals() -> None:
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def _handle(signum: int, frame: FrameType | None) -> None:
    global _first, _lost, _pending, _exit_signals
    if _exit_code is not None:  # finished already: let it exit, unless told twice
        _exit_signals += 1
        if _exit_signals > 1:
            end_now(_exit_code)
        return
    if _first is not None and not _lost:
        end_now(128 + _first)  # the second signal: at once
    if _first is None:
        _first = signum
        with contextlib.suppress(OSError):  # if another took the wakeup fd (uvicorn's loop)
            os.write(_wake_write, bytes([signum]))
        gc.disable()  # a full collection of a large heap can take seconds; the end is near
    _lost = False
    if _deferring:
        _pending = True
        return
    raise Interrupted(_first)


def _watch() -> None:
    """The watchdog: from the first signal on, raise a dropped Interrupted again, and end
    the process if the main thread has not done so within GRACE_SECONDS (stuck in a long
    call into a library, say)."""
    while True:
        try:
            woken = os.read(_wake_read, 64)
        except OSError:
            return
        if not woken:
            return
        if _exit_code is None:  # once the command has finished, a first signal lets it be
            break
    signum = _first or woken[0]
    deadline = time.monotonic() + GRACE_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.05))
        if _lost:
            _thread.interrupt_main(signal.Signals(signum))
    if _claim_line():
        line = "interrupted: stopped; what was saved is kept: run the same command to finish\n"
        with contextlib.suppress(OSError):
            os.write(2, line.encode())
    end_now(128 + (_first or signum))


def _claim_line() -> bool:
    """Return True to the first caller only: one 'interrupted:' line, whoever prints it."""
    global _reported
    with _lock:
        first, _reported = not _reported, True
    return first


def end_now(code: int) -> NoReturn:
    """Kill the worker processes and end this one now, with no clean-up."""
    for pid in list(_children):  # a copy: no lock (the main thread may hold it)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os._exit(code)


def _unraisable(info: Any) -> None:
    """An Interrupted raised where Python can only drop it (a __del__, a weakref callback):
    drop it quietly; the watchdog raises it again in the main thread a moment later."""
    global _lost
    if isinstance(info.exc_value, Interrupted):
        _lost = True
        return
    sys.__unraisablehook__(info)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends (a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
