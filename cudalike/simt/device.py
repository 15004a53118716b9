"""numba.cuda's device API (detect, get_current_device, gpus...) for the one modelled GPU.

There is no GPU: the device is a model whose figures come from the device profile named by
`cudalike.config.get().device` (an H100 SXM5 by default). Everything here is read from the
configuration when asked, so `config.override(device="T4")` changes it for a `with` block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from cudalike import config
from cudalike.model.profiles import DeviceProfile, load_profile

# numba.cuda's Device answers CUDA's device attribute names (CU_DEVICE_ATTRIBUTE_<NAME>);
# these are the ones a profile determines.
_ATTRIBUTES: dict[str, Callable[[DeviceProfile], int]] = {
    "MAX_THREADS_PER_BLOCK": lambda p: p.max_threads_per_block,
    "MAX_BLOCK_DIM_X": lambda p: p.max_block_dim[0],
    "MAX_BLOCK_DIM_Y": lambda p: p.max_block_dim[1],
    "MAX_BLOCK_DIM_Z": lambda p: p.max_block_dim[2],
    "MAX_GRID_DIM_X": lambda p: p.max_grid_dim[0],
    "MAX_GRID_DIM_Y": lambda p: p.max_grid_dim[1],
    "MAX_GRID_DIM_Z": lambda p: p.max_grid_dim[2],
    # CUDA reports the static (48 KB) limit here; more needs dynamic shared memory and opt-in.
    "MAX_SHARED_MEMORY_PER_BLOCK": lambda p: p.static_shared_per_block_bytes,
    "SHARED_MEMORY_PER_BLOCK": lambda p: p.static_shared_per_block_bytes,
    "MAX_SHARED_MEMORY_PER_BLOCK_OPTIN": lambda p: p.shared_per_block_bytes,
    "MAX_SHARED_MEMORY_PER_MULTIPROCESSOR": lambda p: p.shared_per_sm_bytes,
    "TOTAL_CONSTANT_MEMORY": lambda p: p.constant_memory_bytes,
    "WARP_SIZE": lambda p: p.warp_size,
    "MAX_REGISTERS_PER_BLOCK": lambda p: p.max_registers_per_block,
    "REGISTERS_PER_BLOCK": lambda p: p.max_registers_per_block,
    "MAX_REGISTERS_PER_MULTIPROCESSOR": lambda p: p.registers_per_sm,
    "CLOCK_RATE": lambda p: round(p.clock_ghz * 1_000_000),  # kHz, as CUDA reports it
    "MULTIPROCESSOR_COUNT": lambda p: p.sm_count,
    "MAX_THREADS_PER_MULTIPROCESSOR": lambda p: p.max_threads_per_sm,
    "MAX_BLOCKS_PER_MULTIPROCESSOR": lambda p: p.max_blocks_per_sm,
    "L2_CACHE_SIZE": lambda p: p.l2_bytes,
    "COMPUTE_CAPABILITY_MAJOR": lambda p: p.compute_capability[0],
    "COMPUTE_CAPABILITY_MINOR": lambda p: p.compute_capability[1],
}


class MemoryInfo(NamedTuple):
    """Free and total device memory in bytes, as `Context.get_memory_info()` returns them."""

    free: int
    total: int


class Device:
    """The modelled GPU, as `cuda.get_current_device()` returns it.

    Device attributes use CUDA's names in upper case, as in numba: `MAX_THREADS_PER_BLOCK`,
    `MULTIPROCESSOR_COUNT`, `WARP_SIZE`, `MAX_SHARED_MEMORY_PER_BLOCK`...

    Differences:
        Only the attributes a device profile determines exist (see `_ATTRIBUTES`); others,
        such as PCI_BUS_ID, raise AttributeError. `profile` is cudalike's own addition.

    Attributes:
        id: device number (always 0).
        name: "cudalike model of <GPU name>".
        compute_capability: (major, minor) of the modelled GPU.
        uuid: a fixed placeholder, as in numba's simulator.
        profile: the DeviceProfile the figures come from.
    """

    def __init__(self, profile: DeviceProfile, device_id: int = 0):
        self.id = device_id
        self.profile = profile
        self.name = f"cudalike model of {profile.name}"
        self.compute_capability = profile.compute_capability
        self.uuid = "GPU-00000000-0000-0000-0000-000000000000"

    def __getattr__(self, attribute: str) -> int:
        if attribute in _ATTRIBUTES:
            return _ATTRIBUTES[attribute](self.profile)
        if attribute.isupper():
            raise AttributeError(
                f"the {self.name} has no figure for device attribute {attribute!r}; modelled "
                f"attributes: {', '.join(sorted(_ATTRIBUTES))}"
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attribute!r}")

    def __repr__(self) -> str:
        return f"<CUDA device {self.id} '{self.name}'>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Device) and (self.id, self.profile) == (other.id, other.profile)

    def __hash__(self) -> int:
        return hash((self.id, self.profile.name))

    def __enter__(self) -> Device:
        """`with cuda.gpus[0]:` selects the device for the block; there is only one."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    @property
    def supports_float16(self) -> bool:
        return self.compute_capability >= (5, 3)

    @property
    def supports_bfloat16(self) -> bool:
        return self.compute_capability >= (8, 0)

    @property
    def supports_fp8(self) -> bool:
        return self.compute_capability >= (8, 9)


class Context:
    """The CUDA context of the modelled device, as `cuda.current_context()` returns it.

    Differences:
        `get_memory_info()` reports the profile's whole memory as free: cudalike does not
        count allocations against the modelled device.

    Attributes:
        device: the Device.
    """

    def __init__(self, device: Device):
        self.device = device

    @property
    def id(self) -> int:
        return self.device.id

    @property
    def compute_capability(self) -> tuple[int, int]:
        return self.device.compute_capability

    def __repr__(self) -> str:
        return f"<CUDA context of {self.device.name}>"

    def get_memory_info(self) -> MemoryInfo:
        """Return (free, total) device memory in bytes, from the device profile."""
        total = self.device.profile.dram_bytes
        return MemoryInfo(free=total, total=total)

    def synchronize(self) -> None:
        """Wait for all work in the context: immediate, as cudalike runs work synchronously."""

    def reset(self) -> None:
        """Release the context's resources: nothing to release on a CPU emulation."""


def _current_device() -> Device:
    return Device(load_profile(config.get().device))


def _check_device_id(device_id: int) -> None:
    if device_id != 0:
        raise IndexError(
            f"there is no device {device_id}: cudalike models one GPU, device 0 "
            f"({_current_device().name})"
        )


class _DeviceList:
    """`cuda.gpus`: the list of devices (one), indexable and iterable as in numba."""

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[Device]:
        yield _current_device()

    def __getitem__(self, device_id: int) -> Device:
        _check_device_id(device_id)
        return _current_device()

    def __repr__(self) -> str:
        return f"[{_current_device()!r}]"

    @property
    def current(self) -> Device:
        """The current device."""
        return _current_device()


gpus = _DeviceList()


def is_available() -> bool:
    """Return True: the modelled device is always there (no GPU or driver is needed)."""
    return True


def get_current_device() -> Device:
    """Return the modelled device (the profile named by `config.get().device`).

    Example:
        >>> get_current_device().WARP_SIZE
        32
    """
    return _current_device()


def select_device(device_id: int) -> Device:
    """Make device `device_id` current and return it; only device 0 exists.

    Raises:
        IndexError: `device_id` is not 0.
    """
    _check_device_id(device_id)
    return _current_device()


def list_devices() -> _DeviceList:
    """Return the list of devices (`cuda.gpus`), which holds the one modelled device."""
    return gpus


def current_context(devnum: int | None = None) -> Context:
    """Return the context of the modelled device (`devnum` may only be None or 0)."""
    if devnum is not None:
        _check_device_id(devnum)
    return Context(_current_device())


def close() -> None:
    """Destroy the contexts of the current thread: nothing to destroy on a CPU emulation."""


def detect() -> bool:
    """Print a summary of the (modelled) device, as numba's `cuda.detect()` does, and return True.

    Example:
        >>> detect()  # doctest: +ELLIPSIS
        Found 1 CUDA devices
        id 0 ...
        True
    """
    device = _current_device()
    profile = device.profile
    yes_no = {True: "Yes", False: "No"}
    rows = [
        ("Compute Capability", ".".join(str(part) for part in device.compute_capability)),
        ("Multiprocessors", profile.sm_count),
        ("Max threads per block", profile.max_threads_per_block),
        ("Shared memory per block", f"{profile.static_shared_per_block_bytes // 1024} KiB"),
        ("Device memory (modelled)", f"{profile.dram_bytes / 2**30:.1f} GiB"),
        ("FP16 Support", yes_no[device.supports_float16]),
        ("BF16 Support", yes_no[device.supports_bfloat16]),
        ("FP8 Support", yes_no[device.supports_fp8]),
        ("Emulation", "cudalike runs kernels on the CPU; no GPU is used"),
    ]
    print("Found 1 CUDA devices")
    print(f"id {device.id}    {device.name:>20} {'[SUPPORTED]':>40}")
    for key, value in rows:
        print(f"{key:>40}: {value}")
    print("Summary:")
    print("\t1/1 devices are supported")
    return True
