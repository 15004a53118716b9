"""Mask algebra of the vector program: which lanes are active, and assignment under a mask.

A mask is `True` (every lane of the chunk), `False` (none) or a boolean array with one entry
per lane. Keeping the two constants as Python booleans lets uniform code, the common case,
skip the array work entirely.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.array_choice import choose, is_array


class MaskAlgebra:
    """The mask part of the chunk context (see engine.ChunkContext)."""

    def active_lanes(self, mask) -> np.ndarray:
        if mask is True:
            return self.lane_index
        if mask is False:
            return self.lane_index[:0]
        cached_mask, lanes = self._active_cache
        if cached_mask is not mask:
            lanes = np.flatnonzero(mask)
            self._active_cache = (mask, lanes)
        return lanes

    @staticmethod
    def truth(value):
        if isinstance(value, np.ndarray):
            return value if value.dtype == bool else value != 0
        return bool(value)

    def _normal(self, mask):
        if isinstance(mask, np.ndarray):
            count = np.count_nonzero(mask)
            if count == self.lanes:
                return True
            return False if count == 0 else mask
        return bool(mask)

    def narrow(self, mask, condition):
        if mask is False or condition is False:
            return False
        if condition is True:
            return mask
        if mask is True:
            return self._normal(
                np.broadcast_to(condition, (self.lanes,)).copy()
                if not isinstance(condition, np.ndarray)
                else condition
            )
        return self._normal(mask & condition)

    def narrow_not(self, mask, condition):
        return self.narrow(mask, self.lnot(condition))

    def andnot(self, mask, *removed):
        for other in removed:
            if other is False or mask is False:
                continue
            if other is True:  # every lane removed (~True would be the integer -2)
                return False
            mask = self._normal(~other if mask is True else mask & ~other)
        return mask

    def or_(self, first, second):
        if first is False:
            return (
                second
                if second is True
                else (second.copy() if isinstance(second, np.ndarray) else False)
            )
        if second is False or first is True:
            return first
        if second is True:
            return True
        return first | second

    def exit(self, mask) -> None:
        self.exited = self.or_(self.exited, mask)

    @staticmethod
    def land(first, second):
        if isinstance(first, np.ndarray) or isinstance(second, np.ndarray):
            return np.logical_and(first, second)
        return bool(first) and bool(second)

    @staticmethod
    def lor(first, second):
        if isinstance(first, np.ndarray) or isinstance(second, np.ndarray):
            return np.logical_or(first, second)
        return bool(first) or bool(second)

    @staticmethod
    def lnot(value):
        if isinstance(value, np.ndarray):
            return ~value if value.dtype == bool else value == 0
        return not value

    def select(self, condition, when_true, when_false):
        if isinstance(condition, np.ndarray):
            return self.merge(condition, when_true, when_false)
        return when_true if condition else when_false

    def merge(self, mask, new, old):
        """Assignment under a mask: active lanes take `new`, the others keep `old` (an array
        that differs between lanes becomes an ArrayChoice)."""
        if mask is True or old is None or new is old:
            return new
        if mask is False:
            return old
        if isinstance(new, tuple) and isinstance(old, tuple) and len(new) == len(old):
            items = (self.merge(mask, n, o) for n, o in zip(new, old, strict=True))
            return type(new)(*items) if hasattr(new, "_fields") else tuple(items)
        if is_array(new) or is_array(old):
            return choose(self, mask, new, old)
        return np.where(mask, new, old)
