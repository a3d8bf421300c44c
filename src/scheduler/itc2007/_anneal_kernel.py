"""The annealing inner loop, compiled by numba: two flat ``int64`` arrays, no Python objects.

A move costs about a hundred nanoseconds here against about ten microseconds in plain Python,
so a 300 s run makes billions of moves instead of tens of millions. Everything lives in two
arrays so that the compiled calls pass two pointers (numba pays per array argument):

* ``S`` (static, never changed by a move) starts with the header ``S[0:H]``: sizes, the three
  UD2 weights, then the offsets of the blocks of ``S`` and of ``D`` named below;
* ``D`` (the timetable and its counters) starts with four scalars: hard violations, cost, best
  cost, moves made.

``layout`` builds both from per-block lists; ``Annealer`` (``_local_search``) owns them.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import config, njit


def _own_folder(path: str) -> bool:
    """Whether `path` is a folder of this user's that nobody else may write (made so if it
    is missing): numba unpickles its cache index, so a folder another user could fill would
    run their code here (a review of the first version of this fallback)."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # Windows: the temporary folder is the user's own
        return True
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def _compiled(func: Callable[..., Any]) -> Any:
    """``func`` compiled by numba, cached on disk so that a process loads it instead of
    compiling it again (the warm-up child compiles, the solve loads: `_warm_up`).

    numba caches beside this file or in the user's cache folder; where neither may be
    written (a read-only install and home: an audit, whose child then failed and whose runs
    went without annealing, 5x costlier), the cache goes to a folder of this user's in the
    system's temporary folder, the same for the child and the parent. Without any, compiled
    in memory, and `CACHED` is False: the warm-up child then says so (`_warm_up`)."""
    global CACHED
    try:
        return njit(cache=True)(func)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        if not getattr(config, "CACHE_DIR", ""):  # (numba's config module has no stubs)
            user = getattr(os, "getuid", lambda: "")()
            folder = os.path.join(tempfile.gettempdir(), f"scheduler-numba-cache-{user}")
            if _own_folder(folder):
                setattr(config, "CACHE_DIR", folder)  # noqa: B010
                return _compiled(func)
        CACHED = False
        return njit(func)


# Whether the compiled functions are cached on disk (`_compiled`).
CACHED = True


# header of S: sizes and weights
N_P, N_R, N_D, PPD, W_RS, W_MWD, W_CC, N_LEC, N_C = range(9)
# header of S: offsets of the static blocks (in S); N_Q, the number of curricula, is a size
COURSE_OF, TEACHER, CUR_PTR, CUR_IDX, MIN_DAYS, OVER = range(9, 15)
AVAIL_PTR, AVAIL_IDX, FREE, LEC_PTR, LEC_IDX, IN_CUR, N_Q = range(15, 22)
STATIC_BLOCKS = (
    *(COURSE_OF, TEACHER, CUR_PTR, CUR_IDX, MIN_DAYS, OVER),
    *(AVAIL_PTR, AVAIL_IDX, FREE, LEC_PTR, LEC_IDX, IN_CUR),
)
# header of S: offsets of the dynamic blocks (in D)
PERIOD, ROOM, OCC, Q_LOAD, T_LOAD, C_LOAD, C_DAY, C_DAYS, C_ROOM, C_ROOMS = range(22, 32)
BEST_PERIOD, BEST_ROOM = 32, 33
DYNAMIC_BLOCKS = (
    *(PERIOD, ROOM, OCC, Q_LOAD, T_LOAD, C_LOAD, C_DAY, C_DAYS, C_ROOM, C_ROOMS),
    *(BEST_PERIOD, BEST_ROOM),
)
HEADER = 34
# scalars at the start of D
HARD, COST, BEST, MOVES = range(4)
SCALARS = 4


def layout(
    sizes: dict[int, int], static: dict[int, list[int]], dynamic: dict[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """``(S, D)`` from the header sizes and weights, the static blocks' contents and the
    dynamic blocks' lengths (all zero; ``OCC`` is filled with -1)."""
    header = [0] * HEADER
    for key, value in sizes.items():
        header[key] = value
    body: list[int] = []
    for block in STATIC_BLOCKS:
        header[block] = HEADER + len(body)
        body += static[block]
    end = SCALARS
    for block in DYNAMIC_BLOCKS:
        header[block] = end
        end += dynamic[block]
    d = np.zeros(end, dtype=np.int64)
    d[header[OCC] : header[OCC] + dynamic[OCC]] = -1
    return np.array(header + body, dtype=np.int64), d


@_compiled
def seed(value: int) -> None:
    """Seed numba's own random generator (separate from numpy's)."""
    np.random.seed(value)


@_compiled
def _raise(D, base, p, ppd, w_cc):  # type: ignore[no-untyped-def]
    """Compactness change when a curriculum's load at ``p`` (not yet increased) grows by one.

    ``base`` is the offset of the curriculum's row of ``Q_LOAD`` in ``D``. Only ``p`` and its
    two neighbours in the day can change isolation: ``p`` gains an isolated lecture when both
    neighbours are empty; a busy neighbour stops being isolated when ``p`` goes from empty to
    busy. A decrease changes the cost by the negated increase back.
    """
    slot = p % ppd
    last = ppd - 1
    before = D[base + p - 1] if slot > 0 else 0
    after = D[base + p + 1] if slot < last else 0
    delta = 0
    if before == 0 and after == 0:
        delta += w_cc
    if D[base + p] == 0:
        if before > 0 and (slot < 2 or D[base + p - 2] == 0):
            delta -= w_cc * before
        if after > 0 and (slot > last - 2 or D[base + p + 2] == 0):
            delta -= w_cc * after
    return delta


@_compiled
def add(S, D, lec, p, r):  # type: ignore[no-untyped-def]
    """Place lecture ``lec`` at ``(p, r)``; return the soft cost change (hard count updated)."""
    n_p, n_r, n_d, ppd = S[N_P], S[N_R], S[N_D], S[PPD]
    c = S[S[COURSE_OF] + lec]
    D[S[PERIOD] + lec] = p
    D[S[ROOM] + lec] = r
    D[S[OCC] + p * n_r + r] = lec
    delta = S[S[OVER] + c * n_r + r]
    i = S[C_ROOM] + c * n_r + r
    D[i] += 1
    if D[i] == 1:
        j = S[C_ROOMS] + c
        D[j] += 1
        if D[j] > 1:
            delta += S[W_RS]
    i = S[C_DAY] + c * n_d + p // ppd
    D[i] += 1
    if D[i] == 1:
        j = S[C_DAYS] + c
        D[j] += 1
        if D[j] <= S[S[MIN_DAYS] + c]:
            delta -= S[W_MWD]
    i = S[C_LOAD] + c * n_p + p
    D[i] += 1
    if D[i] > 1:
        D[HARD] += 1
    i = S[T_LOAD] + S[S[TEACHER] + c] * n_p + p
    D[i] += 1
    if D[i] > 1:
        D[HARD] += 1
    cur_ptr, cur_idx = S[CUR_PTR], S[CUR_IDX]
    for k in range(S[cur_ptr + c], S[cur_ptr + c + 1]):
        base = S[Q_LOAD] + S[cur_idx + k] * n_p
        delta += _raise(D, base, p, ppd, S[W_CC])
        D[base + p] += 1
        if D[base + p] > 1:
            D[HARD] += 1
    return delta


@_compiled
def remove(S, D, lec):  # type: ignore[no-untyped-def]
    """Take lecture ``lec`` out; return the soft cost change (hard count updated)."""
    n_p, n_r, n_d, ppd = S[N_P], S[N_R], S[N_D], S[PPD]
    c = S[S[COURSE_OF] + lec]
    p = D[S[PERIOD] + lec]
    r = D[S[ROOM] + lec]
    D[S[OCC] + p * n_r + r] = -1
    delta = -S[S[OVER] + c * n_r + r]
    i = S[C_ROOM] + c * n_r + r
    D[i] -= 1
    if D[i] == 0:
        j = S[C_ROOMS] + c
        D[j] -= 1
        if D[j] >= 1:
            delta -= S[W_RS]
    i = S[C_DAY] + c * n_d + p // ppd
    D[i] -= 1
    if D[i] == 0:
        j = S[C_DAYS] + c
        D[j] -= 1
        if D[j] < S[S[MIN_DAYS] + c]:
            delta += S[W_MWD]
    i = S[C_LOAD] + c * n_p + p
    if D[i] > 1:
        D[HARD] -= 1
    D[i] -= 1
    i = S[T_LOAD] + S[S[TEACHER] + c] * n_p + p
    if D[i] > 1:
        D[HARD] -= 1
    D[i] -= 1
    cur_ptr, cur_idx = S[CUR_PTR], S[CUR_IDX]
    for k in range(S[cur_ptr + c], S[cur_ptr + c + 1]):
        base = S[Q_LOAD] + S[cur_idx + k] * n_p
        if D[base + p] > 1:
            D[HARD] -= 1
        D[base + p] -= 1
        delta -= _raise(D, base, p, ppd, S[W_CC])
    return delta


@_compiled
def fill(S, D, periods, rooms):  # type: ignore[no-untyped-def]
    """Place every lecture at ``periods[lec], rooms[lec]`` on empty counters; set the costs."""
    cost = 0
    for c in range(S[N_C]):
        cost += S[S[MIN_DAYS] + c] * S[W_MWD]
    for lec in range(S[N_LEC]):
        cost += add(S, D, lec, periods[lec], rooms[lec])
    D[COST] = cost
    D[BEST] = cost
    _keep_best(S, D)


@_compiled
def _clashes(S, D, c, p, oc):  # type: ignore[no-untyped-def]
    """Whether a lecture of course ``c`` clashes at period ``p`` once one lecture of course
    ``oc`` (-1: none) has left ``p``: a lecture of ``c`` there, the teacher busy, or a
    curriculum of ``c`` busy. Read-only, so most bad moves cost no update and undo."""
    n_p = S[N_P]
    if D[S[C_LOAD] + c * n_p + p] > 0:
        return True
    teacher = S[S[TEACHER] + c]
    busy = D[S[T_LOAD] + teacher * n_p + p]
    if oc >= 0 and S[S[TEACHER] + oc] == teacher:
        busy -= 1
    if busy > 0:
        return True
    cur_ptr, cur_idx, in_cur, n_q = S[CUR_PTR], S[CUR_IDX], S[IN_CUR], S[N_Q]
    for k in range(S[cur_ptr + c], S[cur_ptr + c + 1]):
        q = S[cur_idx + k]
        busy = D[S[Q_LOAD] + q * n_p + p]
        if oc >= 0 and S[in_cur + oc * n_q + q] == 1:
            busy -= 1
        if busy > 0:
            return True
    return False


@_compiled
def _keep_best(S, D):  # type: ignore[no-untyped-def]
    """Copy the current periods and rooms to the best ones."""
    n_lec = S[N_LEC]
    D[S[BEST_PERIOD] : S[BEST_PERIOD] + n_lec] = D[S[PERIOD] : S[PERIOD] + n_lec]
    D[S[BEST_ROOM] : S[BEST_ROOM] + n_lec] = D[S[ROOM] : S[ROOM] + n_lec]


@_compiled
def _pick(S, ptr, c):  # type: ignore[no-untyped-def]
    """A random entry of row ``c`` of the CSR block whose ``ptr`` offset is given."""
    return np.random.randint(S[S[ptr] + c], S[S[ptr] + c + 1])


@_compiled
def anneal(S, D, moves, t_start, t_end):  # type: ignore[no-untyped-def]
    """Make ``moves`` annealing moves, cooling geometrically from ``t_start`` to ``t_end``.

    A move sends a random lecture to another (period, room): the same room in another period,
    a room its course already uses, or any room; when the target cell is taken, the lecture
    there swaps into the freed cell (if its course is open then). Moves breaking a hard rule
    are undone; the rest follow the Metropolis rule. Stops early at cost 0.
    """
    n_lec, n_r, n_p = S[N_LEC], S[N_R], S[N_P]
    if n_lec == 0 or moves <= 0:
        return
    period, room, occ = S[PERIOD], S[ROOM], S[OCC]
    course_of, free, avail_idx, lec_idx = S[COURSE_OF], S[FREE], S[AVAIL_IDX], S[LEC_IDX]
    cost, best = D[COST], D[BEST]
    temperature = t_start
    step = math.log(t_end / t_start) / moves if t_start > 0 and t_end > 0 else 0.0
    made = 0
    for it in range(moves):
        if it % 256 == 0:
            temperature = t_start * math.exp(step * it)
            if best == 0:
                break
        made += 1
        lec = np.random.randint(0, n_lec)
        c = S[course_of + lec]
        p1, r1 = D[period + lec], D[room + lec]
        roll = np.random.random()
        if roll < 0.2:  # room move within the period, mostly to a room the course uses
            p2 = p1
            if roll < 0.1:
                r2 = D[room + S[lec_idx + _pick(S, LEC_PTR, c)]]
            else:
                r2 = np.random.randint(0, n_r)
        else:
            p2 = S[avail_idx + _pick(S, AVAIL_PTR, c)]
            if roll < 0.7:
                r2 = r1
            elif roll < 0.9:
                r2 = D[room + S[lec_idx + _pick(S, LEC_PTR, c)]]
            else:
                r2 = np.random.randint(0, n_r)
        if p2 == p1 and r2 == r1:
            continue
        other = D[occ + p2 * n_r + r2]
        if other >= 0:
            oc = S[course_of + other]
            if oc == c or S[free + oc * n_p + p1] == 0:
                continue
        if p2 != p1:
            oc = S[course_of + other] if other >= 0 else -1
            if _clashes(S, D, c, p2, oc) or (oc >= 0 and _clashes(S, D, oc, p1, c)):
                continue
        delta = remove(S, D, lec)
        if other >= 0:
            delta += remove(S, D, other)
        delta += add(S, D, lec, p2, r2)
        if other >= 0:
            delta += add(S, D, other, p1, r1)
        if D[HARD] == 0 and (delta <= 0 or np.random.random() < math.exp(-delta / temperature)):
            cost += delta
            if cost < best:
                best = cost
                _keep_best(S, D)
            continue
        remove(S, D, lec)
        if other >= 0:
            remove(S, D, other)
        add(S, D, lec, p1, r1)
        if other >= 0:
            add(S, D, other, p2, r2)
    D[COST] = cost
    D[BEST] = best
    D[MOVES] += made
