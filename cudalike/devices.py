"""The device profiles a learner can model: list the shipped ones, get one, load their own.

    >>> from cudalike import devices
    >>> devices.available()
    ['A100', 'H100', 'T4']
    >>> devices.get("T4").sm_count
    40

Choose the modelled device with `cudalike.config.override(device="T4")` (or the environment
variable CUDALIKE_DEVICE); a path to a `.toml` file works there too.
"""

from __future__ import annotations

import os

from cudalike.model.profiles import (
    DeviceProfile,
    list_profiles,
    profile_by_name,
    profile_from_file,
)

__all__ = ["DeviceProfile", "available", "get", "load"]


def available() -> list[str]:
    """Return the short names of the shipped device profiles, e.g. ["A100", "H100", "T4"]."""
    return list_profiles()


def get(name: str) -> DeviceProfile:
    """Return a shipped profile by name or alias, in any case ("h100", "A100-SXM4").

    Raises:
        ValueError: no shipped profile has that name; the message lists them.
    """
    return profile_by_name(name)


def load(path: str | os.PathLike) -> DeviceProfile:
    """Read a profile from a TOML file with the fields of `DeviceProfile`.

    Copy one of `cudalike/model/devices/*.toml` and change its figures.

    Raises:
        ValueError: the file is malformed; the message names the file and the field.
        FileNotFoundError: no such file.
    """
    return profile_from_file(path)
