"""Core state calls of a kernel's prologue and timing probes: InitSocState, GetSystemCycle,
the core type (g_coreType, KERNEL_TASK_TYPE_DEFAULT) and ascendc_assert."""

from __future__ import annotations

from cudalike.cann import _context, errors


def InitSocState() -> None:
    """Reset the core's global state (mask mode, atomic mode...) at the kernel's start.

    Every block starts from a fresh core here, so there is nothing to reset; the call is
    accepted so that vendor kernels that begin with it run unchanged.
    """
    _context.current("InitSocState")


def GetSystemCycle() -> int:
    """The core's cycle counter, read on the scalar pipe: the model's cycle at this point.

    Differences: the value counts the modelled core clock from the block's start, so the
    difference of two reads is the modelled time between them in cycles.
    """
    core = _context.current("GetSystemCycle")
    start, _ = core.timeline.issue("S", 1, "GetSystemCycle", _context.user_location())
    return int(start)


# Core types (kernel_operator's g_coreType values) and the kernel types of
# KERNEL_TASK_TYPE_DEFAULT. A kernel runs on vector cores (AIV) unless it declares itself
# cube-only; cross_core.py runs a mixed kernel (1_1, 1_2) as an AIC and its AIV sub-cores.
AIV = "AIV"
AIC = "AIC"
KERNEL_TYPE_AIV_ONLY = "KERNEL_TYPE_AIV_ONLY"
KERNEL_TYPE_AIC_ONLY = "KERNEL_TYPE_AIC_ONLY"
KERNEL_TYPE_MIX_AIV_1_0 = "KERNEL_TYPE_MIX_AIV_1_0"
KERNEL_TYPE_MIX_AIC_1_0 = "KERNEL_TYPE_MIX_AIC_1_0"
KERNEL_TYPE_MIX_AIC_1_1 = "KERNEL_TYPE_MIX_AIC_1_1"
KERNEL_TYPE_MIX_AIC_1_2 = "KERNEL_TYPE_MIX_AIC_1_2"


def KERNEL_TASK_TYPE_DEFAULT(kernelType: str) -> None:
    """Declare a single-core kernel's type: a cube-only kernel (KERNEL_TYPE_AIC_ONLY,
    KERNEL_TYPE_MIX_AIC_1_0) runs as the cube core (g_coreType == AIC), any other as AIV.
    The exported name is cross_core's, which handles the mixed types and calls this."""
    core = _context.current("KERNEL_TASK_TYPE_DEFAULT")
    core.core_type = AIC if kernelType in (KERNEL_TYPE_AIC_ONLY, KERNEL_TYPE_MIX_AIC_1_0) else AIV


def core_type() -> str:
    """g_coreType of the running core (AIV outside a kernel)."""
    core = _context._current.get()
    return AIV if core is None else core.core_type


def ascendc_assert(condition, message: str = "") -> None:
    """Stop the kernel with `message` when `condition` is false, as ascendc_assert does."""
    if not condition:
        raise _context.error(
            errors.InstructionError,
            f"ascendc_assert failed: {message.strip()}",
            "the kernel's own check on its arguments or tiling",
        )
