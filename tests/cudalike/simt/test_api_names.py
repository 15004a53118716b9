"""`cudalike.cuda` spells every name of issue 2 as numba.cuda does, and invents none silently."""

import importlib.util
import re

import pytest

from cudalike import cuda

KERNEL_SIDE = (
    "jit threadIdx blockIdx blockDim gridDim grid gridsize laneid warpsize shared local const "
    "syncthreads syncthreads_count syncthreads_and syncthreads_or syncwarp threadfence "
    "threadfence_block threadfence_system atomic shfl_sync shfl_up_sync shfl_down_sync "
    "shfl_xor_sync all_sync any_sync eq_sync ballot_sync activemask lanemask_lt popc brev clz "
    "ffs fma selp"
).split()
ATOMICS = "add sub max min and_ or_ xor exch inc dec cas compare_and_swap".split()
MEMORY = [("shared", "array"), ("local", "array"), ("const", "array_like")]
HOST_SIDE = (
    "to_device device_array device_array_like pinned_array synchronize stream event "
    "is_available detect get_current_device"
).split()
# Names cudalike.cuda exports that numba.cuda's top level lacks, each a deliberate choice.
EXTRAS = {"DeviceNDArray", "Event", "Stream"}


def numba_cuda():
    """The real numba.cuda module (its names exist without a GPU), or skip with the reason."""
    if importlib.util.find_spec("numba") is None or importlib.util.find_spec("numba.cuda") is None:
        pytest.skip("numba-cuda is not installed, so there is nothing to compare names with")
    from numba import cuda as real

    return real


def normalised(name: str) -> str:
    return re.sub(r"_", "", name).lower()


@pytest.mark.parametrize("name", KERNEL_SIDE + HOST_SIDE)
def test_issue_name_exists_and_is_exported(name):
    assert hasattr(cuda, name), f"cudalike.cuda lacks {name}"
    assert name in cuda.__all__, f"{name} is missing from cudalike.cuda.__all__"


@pytest.mark.parametrize("name", ATOMICS)
def test_atomic_operation_exists(name):
    assert hasattr(cuda.atomic, name)


@pytest.mark.parametrize("space, function", MEMORY)
def test_memory_space_function_exists(space, function):
    assert hasattr(getattr(cuda, space), function)


def test_warpsize_is_32():
    assert cuda.warpsize == 32


@pytest.mark.parametrize("name", KERNEL_SIDE + HOST_SIDE)
def test_issue_names_are_numba_names(name):
    assert hasattr(numba_cuda(), name), f"numba.cuda has no {name}: the list is misspelled"


@pytest.mark.parametrize("name", ATOMICS)
def test_atomic_names_are_numba_names(name):
    assert hasattr(numba_cuda().atomic, name)


def test_exported_names_are_spelled_as_numba_spells_them():
    # A name numba.cuda lacks but has in another case or with other underscores is misspelled.
    real = numba_cuda()
    theirs = {normalised(name): name for name in dir(real) if not name.startswith("_")}
    misspelled = {
        ours: theirs[normalised(ours)]
        for ours in set(cuda.__all__) - EXTRAS
        if not hasattr(real, ours) and normalised(ours) in theirs
    }
    assert not misspelled, f"cudalike spells these differently from numba.cuda: {misspelled}"


def test_no_exported_name_is_unknown_to_numba():
    real = numba_cuda()
    invented = {name for name in cuda.__all__ if not hasattr(real, name)} - EXTRAS
    assert not invented, f"not in numba.cuda (add to EXTRAS only on purpose): {sorted(invented)}"
