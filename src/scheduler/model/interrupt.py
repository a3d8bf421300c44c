"""Ctrl-C for a whole solve: one latch that every phase reads and that stops the CP-SAT search
running when it comes.

CP-SAT's own handler (`catch_sigint_signal`) ends the one solve that is running, and the next
solve of the same `scheduler solve` knew nothing of it: a Ctrl-C at the end of the first phase
was lost, and the optimisation ran its whole budget. Python's own handler is no substitute:
it runs in the main thread between bytecodes, never while that thread waits inside CP-SAT.
So the outermost `Interrupted` takes SIGINT for the whole solve, and a watcher thread reads
the signal from `signal.set_wakeup_fd` (written at once, whatever the main thread is doing)
and stops every search started through `solve` since.

A command's latch (`latched`) is taken from its start but armed only once its work begins (a
solve, or the writing of files): until then a signal aborts the command as Python's own
handler would. Reading an instance from a pipe that no one writes to, a latched Ctrl-C (and
SIGTERM) only set the flag, the read went on waiting, and nothing but a second SIGTERM ended
the process.
"""

from __future__ import annotations

import functools
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:  # commands that only write files (export) need no solver: 0.4 s
    from ortools.sat.python import cp_model

# How often the watcher repeats its stop requests after Ctrl-C: CP-SAT drops a request made
# before its solve has begun, so a search started just then is stopped at the next one.
POLL_SECONDS = 0.1

P = ParamSpec("P")
R = TypeVar("R")

_active: Interrupted | None = None  # the outermost latch of the main thread, while it lasts


class Aborted(KeyboardInterrupt):
    """A signal before the command's work began (`Interrupted.arm`): nothing to keep. A
    KeyboardInterrupt, so that no `except Exception` takes it; `by` says which signal."""

    def __init__(self, by: str) -> None:
        super().__init__(by)
        self.by = by


class Interrupted:
    """Ctrl-C (or SIGTERM) during a solve: remember it (`flag`), stop the running searches, let
    the caller return the best timetable so far.

    `with Interrupted() as interrupted:` gives the outermost latch: nested uses share it, so a
    Ctrl-C seen by one phase is seen by the next. Outside the main thread there is no signal
    handler and the flag is only set by `trip` (the caller's time limit still holds).

    `Interrupted(armed=False)` (a command's latch, `latched`) raises `Aborted` on a signal
    until it is armed: by `arm`, or by the first latch entered inside it (a solve's).
    """

    def __init__(self, armed: bool = True) -> None:
        self._armed = armed
        self._tripped = threading.Event()
        self._closing = threading.Event()
        self._solvers: set[cp_model.CpSolver] = set()
        self._lock = threading.RLock()  # re-entrant: the handler may run while main holds it
        self._previous_handler: object = None
        self._previous_term: object = None
        self._previous_fd = -1
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._watcher: threading.Thread | None = None
        self._by = "Ctrl-C"

    @property
    def flag(self) -> bool:
        """Whether Ctrl-C (or SIGTERM) came."""
        return self._tripped.is_set()

    @property
    def by(self) -> str:
        """What stopped the search, in words: "Ctrl-C", or "SIGTERM" (a service manager, a CI
        timeout, `kill`), so that messages do not blame a key nobody pressed."""
        return self._by

    def trip(self) -> None:
        """As on Ctrl-C (or SIGTERM): set the flag and stop every running search."""
        self._tripped.set()
        self._stop_all()

    def __enter__(self) -> Interrupted:
        global _active
        if _active is not None:
            _active.arm()  # a solve begins inside a command's latch
            return _active
        try:
            self._previous_handler = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: no handler
            return self
        # SIGTERM (a service manager, a CI timeout, `kill`) ends a solve as Ctrl-C does, with
        # the best timetable so far written: it killed the process and kept nothing before
        self._previous_term = signal.signal(signal.SIGTERM, self._handle)
        _active = self
        try:
            self._start_watcher()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        if _active is not self:
            return
        _active = None
        self._closing.set()
        if self._watcher is not None:
            signal.set_wakeup_fd(self._previous_fd)
            self._watcher.join()
        if self._sockets is not None:
            for end in self._sockets:
                end.close()
        # None: a handler not installed from Python; the default then, as Python's own
        previous = signal.SIG_DFL if self._previous_handler is None else self._previous_handler
        signal.signal(signal.SIGINT, previous)  # type: ignore[arg-type]
        term = signal.SIG_DFL if self._previous_term is None else self._previous_term
        signal.signal(signal.SIGTERM, term)  # type: ignore[arg-type]

    def arm(self) -> None:
        """From now on a signal stops the searches and lets the command finish what it
        writes, instead of aborting it."""
        self._armed = True

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if not self._armed:  # e.g. waiting for the input: end as without the latch
            raise Aborted("SIGTERM" if signum == signal.SIGTERM else "Ctrl-C")
        # The flag only: this runs in the main thread between any two bytecodes, possibly
        # inside CpSolver.solve while it holds the solver's lock that stop_search takes. The
        # watcher thread stops the searches (within POLL_SECONDS).
        self._came(signum)
        if signum == signal.SIGTERM:  # a second SIGTERM ends the process, as it used to
            signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def _came(self, signum: int) -> None:
        """A signal that ends the search: the first one names what stopped it (`by`). The
        watcher often sees it first (the main thread runs the handler once the solver's C++
        call returns)."""
        if not self._tripped.is_set():
            self._by = "SIGTERM" if signum == signal.SIGTERM else "Ctrl-C"
        self._tripped.set()

    def _start_watcher(self) -> None:
        try:
            reader, writer = socket.socketpair()
        except OSError:  # no sockets left: the Python handler alone
            return
        writer.setblocking(False)
        reader.settimeout(POLL_SECONDS)
        try:
            self._previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        except (ValueError, OSError):  # no wake-up fd here: the Python handler alone
            reader.close()
            writer.close()
            return
        self._sockets = (reader, writer)
        self._watcher = threading.Thread(target=self._watch, args=(reader,), daemon=True)
        self._watcher.start()

    def _watch(self, reader: socket.socket) -> None:
        while not self._closing.is_set():
            try:
                received = reader.recv(64)
            except TimeoutError:
                received = b""
            except OSError:  # closed
                return
            for signum in received:  # the wake-up fd holds one byte per signal, in order
                # unarmed, the main thread's handler aborts the command instead
                if self._armed and signum in (signal.SIGINT, signal.SIGTERM):
                    self._came(signum)
            if self._tripped.is_set():
                self._stop_all()

    def _stop_all(self) -> None:
        with self._lock:
            solvers = list(self._solvers)
        for solver in solvers:
            solver.stop_search()

    def _watching(self, solver: cp_model.CpSolver, add: bool) -> None:
        with self._lock:
            if add:
                self._solvers.add(solver)
            else:
                self._solvers.discard(solver)


def solve(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    stoppable: bool = True,
) -> cp_model.CpSolverStatus:
    """`solver.solve(model, callback)`, ended by Ctrl-C: by the solve-wide latch when one is
    active (CP-SAT's own handler is then left off, so that the latch sees every Ctrl-C), else
    by CP-SAT's handler as its parameters say. A solve that is not `stoppable` (completing a
    timetable already found) runs on to its end either way."""
    latch = _active
    if latch is None:
        if threading.current_thread() is not threading.main_thread():
            # CP-SAT's handler, installed from a thread, would outlive Python's: leave it off
            solver.parameters.catch_sigint_signal = False
        return solver.solve(model, callback)
    solver.parameters.catch_sigint_signal = False
    if not stoppable:
        return solver.solve(model, callback)
    latch._watching(solver, True)
    try:
        return solver.solve(model, callback)
    finally:
        latch._watching(solver, False)


def tripped() -> bool:
    """Whether Ctrl-C (or SIGTERM) came during the solve-wide latch now active."""
    return _active is not None and _active.flag


def stopped_by() -> str:
    """What stopped the solve-wide latch now active ("Ctrl-C" or "SIGTERM"), for messages."""
    return "Ctrl-C" if _active is None else _active.by


def arm() -> None:
    """Arm the command's latch now active (`latched`): its writing begins."""
    if _active is not None:
        _active.arm()


def latched(command: Callable[P, R]) -> Callable[P, R]:
    """`command` under one Ctrl-C latch from its start to its end: a Ctrl-C while the result
    is checked and written (after the search) lets the writing finish instead of losing it.
    Before its solve (or `arm`), a signal aborts it with `Aborted`: nothing is written yet."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with Interrupted(armed=False):
            return command(*args, **kwargs)

    return run
