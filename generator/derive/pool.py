"""The pool's CRS score distribution as table rows, in IRCC's order.

IRCC publishes seven wide bands and splits two of them (451-500 and
401-450) into ten-point sub-bands; the sub-bands are shown under their band.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.models import POOL_BANDS, Pool

# The sub-bands of each split band, in IRCC's order (highest first).
SPLIT_BANDS = {
    "451-500": ("491-500", "481-490", "471-480", "461-470", "451-460"),
    "401-450": ("441-450", "431-440", "421-430", "411-420", "401-410"),
}
_PARENT = {sub: band for band, subs in SPLIT_BANDS.items() for sub in subs}


@dataclass(frozen=True)
class PoolRow:
    """One band of the distribution: its score range and how many candidates it holds."""

    band: str  # IRCC's name, e.g. "451-500"
    low: int
    high: int
    candidates: int
    sub: bool  # a ten-point sub-band of the band above it


def pool_rows(pool: Pool | None) -> tuple[PoolRow, ...]:
    """The bands the editor gave, highest scores first, without the total."""
    if pool is None:
        return ()
    rows = []
    for band in POOL_BANDS:
        if band == "total" or band not in pool.bands:
            continue
        low, high = (int(part) for part in band.split("-"))
        rows.append(PoolRow(band, low, high, pool.bands[band], band in _PARENT))
    return tuple(rows)


def pool_total(pool: Pool | None) -> int | None:
    """The total IRCC gave, if any."""
    return None if pool is None else pool.bands.get("total")
