"""Tiling keys and the user workspace: how an operator's entry picks its kernel branch.

An operator's host tiling function chooses an algorithm for the shapes it gets and says so
with `context->SetTilingKey(key)`; the kernel entry tests it with `TILING_KEY_IS(key)` in an
`if` / `else if` chain. For CPU debugging the vendor sets the key with
`ICPU_SET_TILING_KEY(key)` before the launch (default 0), and only that key's branch runs;
here the same call sets the key the next launches use. The framework builds one kernel per
key the entry tests, so a launch whose key no TILING_KEY_IS matches has no kernel to run:
it is reported when a block ends having tested keys and matched none.
"""

from __future__ import annotations

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.gm import GmAddr

UINT64_MAX = 2**64 - 1


class _HostTilingKey:
    """The key ICPU_SET_TILING_KEY last set (0 until it is called)."""

    value = 0


def ICPU_SET_TILING_KEY(tilingKey: int) -> None:
    """Host side: the tiling key the following launches run with (the vendor's CPU-debug call
    standing in for the tiling function's context->SetTilingKey)."""
    if not isinstance(tilingKey, int | np.integer) or not 0 <= int(tilingKey) < UINT64_MAX:
        raise ValueError(
            f"ICPU_SET_TILING_KEY takes an integer in [0, UINT64_MAX), got {tilingKey!r}"
        )
    _HostTilingKey.value = int(tilingKey)


def launch_tiling_key() -> int:
    """The key a launch starting now runs with."""
    return _HostTilingKey.value


def TILING_KEY_IS(key: int) -> bool:
    """In a kernel: whether this launch's tiling key is `key` (a branch of the entry)."""
    core = _context.current("TILING_KEY_IS")
    if not isinstance(key, int | np.integer) or int(key) < 0:
        raise _context.error(
            errors.InstructionError,
            f"TILING_KEY_IS({key!r}): a tiling key is a non-negative integer",
            "use the key the host's tiling function passes to SetTilingKey",
        )
    if core.tiling_keys_where is None:
        core.tiling_keys_where = _context.user_location()
    core.tiling_keys_tested.add(int(key))
    return int(key) == core.launch.tiling_key


def check_tiling_key_at_end(core: _context.CoreContext) -> None:
    """Report a block that tested tiling keys and matched none: no kernel exists for the key."""
    tested = core.tiling_keys_tested
    if tested and core.launch.tiling_key not in tested:
        raise _context.error(
            errors.InstructionError,
            f"this launch's tiling key is {core.launch.tiling_key}, but the kernel's "
            f"TILING_KEY_IS branches test {sorted(tested)}: no branch ran",
            "set the key the host's tiling chose before the launch: "
            "cann.ICPU_SET_TILING_KEY(key) (context->SetTilingKey(key) in an operator's "
            "tiling function)",
            where=core.tiling_keys_where,
        )


def GetUserWorkspace(workspace: GmAddr) -> GmAddr:
    """The part of the launch's workspace the operator may use. The system workspace the
    high-level libraries reserve in front of it is not modelled, so this is `workspace`
    itself, as in the vendor's CPU-debug build, which also refuses a null workspace."""
    _context.current("GetUserWorkspace")
    if not isinstance(workspace, GmAddr):
        raise _context.error(
            errors.BufferStateError,
            f"GetUserWorkspace takes the kernel's workspace GM_ADDR, got "
            f"{type(workspace).__name__}: workspace can not be nullptr",
            "pass a workspace allocation (aclrtMalloc, or a numpy array) to the launch",
        )
    return workspace
