"""A seccomp-BPF filter for the sandbox's child, built and installed with ctypes.

The child installs it on itself (`install`) after reading its job and before loading the
submission, so whatever runs after that, even arbitrary Python, cannot:
- start a program or a process: execve, execveat, fork, vfork, clone without CLONE_THREAD
  (threads stay allowed: numba and BLAS may start them), clone3 (ENOSYS, so libc falls back to
  clone, whose flags a filter can read);
- signal or touch another process: kill, tkill, tgkill, rt_(tg)sigqueueinfo to any pid but its
  own, pidfd_open, pidfd_send_signal, ptrace, process_vm_readv/writev;
- reach the network: socket, socketpair, connect;
- change the file system: open/openat with a write, create, truncate or append flag, openat2
  (ENOSYS), creat, mkdir(at), mknod(at), unlink(at), rmdir, rename(at/2), link(at),
  symlink(at), truncate, the chmod, chown, setxattr and utime families;
- escape the filter: io_uring (its operations bypass seccomp), namespaces, mounts, bpf.
Every denied call fails with EPERM (ENOSYS where noted), so the runtime sees a Python error
instead of dying. Stages: `supported` (x86_64 and aarch64, by `platform.machine()` and the
audit architecture), `build` (the program, the child's pid captured in it), `install`
(PR_SET_NO_NEW_PRIVS, then seccomp with TSYNC, or prctl where seccomp(2) is missing).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

_ARCHES = {  # platform.machine() -> (audit arch, syscall table)
    "x86_64": 0xC000003E,
    "aarch64": 0xC00000B7,
}
_X32_BIT = 0x40000000  # x86_64's x32 ABI numbers: denied as a whole

# Syscall numbers by architecture; a name missing from a table does not exist there.
_X86_64 = {
    "open": 2, "creat": 85, "mkdir": 83, "rmdir": 84, "rename": 82, "link": 86, "unlink": 87,
    "symlink": 88, "chmod": 90, "fchmod": 91, "chown": 92, "fchown": 93, "lchown": 94,
    "truncate": 76, "mknod": 133, "utime": 132, "utimes": 235, "futimesat": 261,
    "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197,
    "lremovexattr": 198, "fremovexattr": 199, "openat": 257, "mkdirat": 258, "mknodat": 259,
    "fchownat": 260, "unlinkat": 263, "renameat": 264, "linkat": 265, "symlinkat": 266,
    "fchmodat": 268, "utimensat": 280, "renameat2": 316, "openat2": 437, "fchmodat2": 452,
    "execve": 59, "execveat": 322, "fork": 57, "vfork": 58, "clone": 56, "clone3": 435,
    "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
    "pidfd_open": 434, "pidfd_send_signal": 424, "ptrace": 101, "process_vm_readv": 310,
    "process_vm_writev": 311, "socket": 41, "socketpair": 53, "connect": 42,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "unshare": 272,
    "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "bpf": 321,
    "open_by_handle_at": 304, "seccomp": 317,
}  # fmt: skip
_AARCH64 = {
    "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14, "lremovexattr": 15,
    "fremovexattr": 16, "mknodat": 33, "mkdirat": 34, "unlinkat": 35, "symlinkat": 36,
    "linkat": 37, "renameat": 38, "umount2": 39, "mount": 40, "pivot_root": 41,
    "truncate": 45, "fchmod": 52, "fchmodat": 53, "fchownat": 54, "fchown": 55, "chroot": 51,
    "openat": 56, "utimensat": 88, "unshare": 97, "ptrace": 117, "kill": 129, "tkill": 130,
    "tgkill": 131, "rt_sigqueueinfo": 138, "socket": 198, "socketpair": 199, "connect": 203,
    "clone": 220, "execve": 221, "rt_tgsigqueueinfo": 240, "open_by_handle_at": 265,
    "setns": 268, "process_vm_readv": 270, "process_vm_writev": 271, "renameat2": 276,
    "seccomp": 277, "bpf": 280, "execveat": 281, "pidfd_send_signal": 424,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "pidfd_open": 434,
    "clone3": 435, "openat2": 437, "fchmodat2": 452,
}  # fmt: skip
_TABLES = {"x86_64": _X86_64, "aarch64": _AARCH64}

_DENIED = (
    "creat mkdir mkdirat rmdir mknod mknodat unlink unlinkat rename renameat renameat2 link "
    "linkat symlink symlinkat chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat "
    "truncate setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr utime utimes "
    "futimesat utimensat execve execveat fork vfork ptrace process_vm_readv process_vm_writev "
    "socket socketpair connect pidfd_open pidfd_send_signal io_uring_setup io_uring_enter "
    "io_uring_register unshare setns mount umount2 pivot_root chroot bpf open_by_handle_at"
).split()
_NOT_IMPLEMENTED = ("clone3", "openat2")  # ENOSYS: callers fall back to a checkable call
_OWN_PID_ONLY = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")  # arg 0
_OPEN_FLAGS = {"open": 1, "openat": 2}  # the argument holding the flags
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CLONE_THREAD = 0x00010000

# Classic BPF: instruction codes and seccomp's return values.
_LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ, _JGE, _JSET = 0x15, 0x35, 0x45  # BPF_JMP | op | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_NR, _ARCH, _ARGS = 0, 4, 16  # offsets in struct seccomp_data
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]  # fmt: skip


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def supported() -> bool:
    """True on the architectures whose syscall tables this module knows (x86_64, aarch64)."""
    return platform.machine() in _TABLES and struct.calcsize("P") == 8


def build(pid: int) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions; signals may go to `pid` only.

    Raises:
        OSError: the architecture is not supported (`supported()` is False).
    """
    machine = platform.machine()
    if not supported():
        raise OSError(errno.ENOSYS, f"no seccomp filter for {machine}")
    table = _TABLES[machine]
    deny = (_RETURN, 0, 0, _ERRNO | errno.EPERM)
    program = [(_LOAD, 0, 0, _ARCH), (_JEQ, 1, 0, _ARCHES[machine]), deny, (_LOAD, 0, 0, _NR)]
    if machine == "x86_64":
        program += [(_JGE, 0, 1, _X32_BIT), deny]
    for name in _DENIED:
        if name in table:
            program += [(_JEQ, 0, 1, table[name]), deny]
    for name in _NOT_IMPLEMENTED:
        program += [(_JEQ, 0, 1, table[name]), (_RETURN, 0, 0, _ERRNO | errno.ENOSYS)]
    for name, argument in _OPEN_FLAGS.items():
        if name in table:  # flags with a write bit: deny; else allow
            program += _on_argument(table[name], argument, (_JSET, 0, 1, _WRITE_FLAGS), deny)
    program += _on_argument(table["clone"], 0, (_JSET, 1, 0, _CLONE_THREAD), deny)
    for name in _OWN_PID_ONLY:
        program += _on_argument(table[name], 0, (_JEQ, 1, 0, pid & 0xFFFFFFFF), deny)
    return program + [(_RETURN, 0, 0, _ALLOW)]


def _on_argument(number: int, argument: int, test: tuple, deny: tuple) -> list[tuple]:
    """For syscall `number`: load the low word of `argument`, then `test`, whose jt/jf land
    on `deny` (offset 0) or skip it to allow (offset 1)."""
    load = (_LOAD, 0, 0, _ARGS + 8 * argument)  # little-endian: the low 32 bits first
    return [(_JEQ, 0, 4, number), load, test, deny, (_RETURN, 0, 0, _ALLOW)]


def install(pid: int | None = None) -> None:
    """Set no_new_privs and install the filter on every thread of this process.

    Args:
        pid: the only process signals may go to (default: this one, `os.getpid()`).

    Raises:
        OSError: prctl or seccomp failed, or the architecture is not supported.
    """
    instructions = build(os.getpid() if pid is None else pid)
    array = (_Filter * len(instructions))(*(_Filter(*i) for i in instructions))
    program = _Program(len(instructions), array)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    number = _TABLES[platform.machine()]["seccomp"]
    flags = _SECCOMP_FILTER_FLAG_TSYNC
    if libc.syscall(number, _SECCOMP_SET_MODE_FILTER, flags, ctypes.byref(program)) == 0:
        return
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "installing the seccomp filter failed")
