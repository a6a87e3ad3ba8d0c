"""Which duty rows apply to an HS code and an origin: longest prefix per program."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inputs import DutyRow, Network

HS_CODE = re.compile(r"^\d{4,10}$")


def normalise_hs(code: str) -> str:
    return code.replace(".", "").replace(" ", "").strip()


@dataclass(frozen=True, slots=True)
class DutyMatch:
    row: DutyRow
    fallback: str  # "" when the code matched a table row; else why the fallback applies


def match_duties(network: Network, hs_code: str, origin: str) -> tuple[DutyMatch, ...]:
    """The rows that apply, one per program (memoised on the snapshot)."""
    key = (hs_code, origin)
    memo = network._duty_memo.get(key)
    if memo is not None:
        return memo
    code = normalise_hs(hs_code)
    valid = bool(HS_CODE.match(code))
    best: dict[str, DutyRow] = {}
    tabled = set()  # programs with per-code rows: their empty-prefix row is a fallback
    for row in network.duties:
        if row.origin_country and row.origin_country != origin:
            continue
        if row.hs_prefix:
            tabled.add(row.program)
        if row.hs_prefix and not (valid and code.startswith(row.hs_prefix)):
            continue
        current = best.get(row.program)
        if current is None or len(row.hs_prefix) > len(current.hs_prefix):
            best[row.program] = row
    applied = {p for p, row in best.items() if row.rate > 0}
    matches = []
    for program, row in best.items():
        if row.exclusive_of and row.exclusive_of in applied:
            continue
        if row.hs_prefix or program not in tabled:
            why = ""
        elif not valid:
            why = f"HS code {hs_code!r} is not a 4–10 digit code"
        else:
            why = f"HS code {code} is not in the {network.market} duty table"
        matches.append(DutyMatch(row, why))
    matches.sort(key=lambda m: (m.row.program != "mfn", m.row.program))
    result = tuple(matches)
    network._duty_memo[key] = result
    return result
