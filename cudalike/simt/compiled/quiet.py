"""Segments between two barriers that only read some shared arrays ("quiet" reads).

With checks on, such a segment cannot race on those arrays: only a read of an element never
written in the block can be reported. One scan before the segment tells whether every element
of each was written (`rt.all_written`, a loaded SGEMM tile); the segment is written twice, a
copy reading those tiles with no check at all when every scan found them full, and a copy
checking each read for initialisation otherwise. The first copy is what tiled matmuls run: a
check per read, even one that cannot fire, kept numba from unrolling and vectorising their
inner loops (measured: the register-blocked matmul's checked launch 0.25 s -> 0.15 s).
"""

from __future__ import annotations

import ast


def write_segment(writer, statements: list, out: list, pad: str) -> None:
    """The segment `statements`, with the tile scans and the two copies when it reads arrays
    of `kernel.quiet_shared`."""
    k = writer.k
    read = {n.id for s in statements for n in ast.walk(s) if isinstance(n, ast.Name)}
    scanned = sorted(k.quiet_shared & read) if k.checks else []
    if not scanned:
        writer._call_segment(statements, out, pad)
        return
    out += [f"{pad}q_{a} = rt.all_written(sw_{a})" for a in scanned]
    out.append(f"{pad}if {' and '.join(f'q_{a}' for a in scanned)}:")
    first_site = k.sites
    k.full_shared = set(scanned)
    try:
        writer._call_segment(statements, out, pad + "    ")
    finally:
        k.full_shared = set()
    k.sites = first_site  # the second copy counts its loops on the same rows as the first
    out.append(f"{pad}else:")
    writer._call_segment(statements, out, pad + "    ")
