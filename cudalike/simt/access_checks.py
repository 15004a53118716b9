"""The checks of one array access in the SIMT engine: races and reads of memory never written.

memory.load and memory.store call these with checks on, once the positions are known; the
shadow state itself and the race reports are in races.py and global_races.py.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from cudalike.errors import UninitializedReadError
from cudalike.simt import races
from cudalike.simt.indexing import flat_index, storage_index, unchanging

if TYPE_CHECKING:
    from cudalike.simt.memory import Buffer


def check_read(ctx, buffer: Buffer, position, mask, line: int, index: tuple = ()) -> None:
    """Check and record a read for the race and uninitialised-read checks."""
    if buffer.space == "const" or (buffer.space == "global" and not ctx.tracked(buffer)):
        return
    lanes = ctx.active_lanes(mask)
    if isinstance(position, slice):
        races.global_read(ctx, buffer, position, lanes, line)
        return
    position = per_lane(ctx, position)
    if mask is not True:
        position = position[lanes]
    if buffer.space == "shared":
        again = _position_again(ctx, buffer, index, mask)
        races.shared_read(ctx, buffer, position, lanes, line, position_again=again)
    elif buffer.space == "local":
        written = races.shadow_of(buffer).written[position]
        if not written.all():
            lane = int(lanes[np.argmin(written)])
            raise ctx.error(
                UninitializedReadError,
                line,
                lane,
                f"reads local array '{buffer.name}' at an element this thread never wrote",
                hint="write every element of a local array before reading it",
                array=buffer.root.name,
            )
    else:
        races.global_read(ctx, buffer, position, lanes, line)


def check_write(ctx, buffer: Buffer, position, lanes, line: int) -> None:
    """Check and record a write for the race and uninitialised-read checks."""
    if buffer.space == "shared":
        races.shared_write(ctx, buffer, position, lanes, line)
    elif buffer.space == "local":
        races.shadow_of(buffer).written[position] = True
    elif buffer.space == "global" and ctx.tracked(buffer):
        races.global_write(ctx, buffer, position, lanes, line)


def _position_again(ctx, buffer: Buffer, index: tuple, mask):
    """A way to compute a read's storage positions again later, when every lane reads and
    the index only holds numbers and read-only arrays (thread numbers, cuda.grid): the race
    check's read log then keeps this instead of the positions (an array per read, megabytes
    for a tile loop, that would be allocated afresh in every epoch)."""
    if mask is not True or buffer.root is not buffer or buffer.lane_extents is not None:
        return None
    for value in index:
        if isinstance(value, np.ndarray):
            if not unchanging(value):
                return None
        elif not isinstance(value, (int, np.integer)):
            return None
    return functools.partial(_positions, ctx, buffer, index)


def _positions(ctx, buffer: Buffer, index: tuple) -> np.ndarray:
    return per_lane(ctx, storage_index(ctx, buffer, flat_index(ctx, buffer, index, True, 0)))


def per_lane(ctx, position):
    if isinstance(position, np.ndarray):
        return position
    return np.full(ctx.lanes, position, np.int64)
