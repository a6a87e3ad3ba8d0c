"""Which duty rows apply to an HS code and an origin: longest prefix per program."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inputs import DutyRow, Network
from .records import maker

HS_CODE = re.compile(r"^\d{4,10}$")


def normalise_hs(code: str) -> str:
    return code.replace(".", "").replace(" ", "").strip()


def _index(duties: tuple[DutyRow, ...]) -> tuple:
    """(the rows indexed, {hs_prefix: [row, ...] in table order}, the prefixes' lengths, the
    programs with per-code rows for any origin, {origin: those plus the programs with
    per-code rows for it})."""
    by_prefix: dict[str, list] = {}
    for row in duties:
        by_prefix.setdefault(row.hs_prefix, []).append(row)
    lengths = sorted({len(prefix) for prefix in by_prefix if prefix})
    tabled_any = frozenset(
        row.program for row in duties if row.hs_prefix and not row.origin_country
    )
    tabled_by_origin = {
        origin: tabled_any
        | {row.program for row in duties if row.hs_prefix and row.origin_country == origin}
        for origin in {row.origin_country for row in duties if row.origin_country}
    }
    return (duties, by_prefix, lengths, tabled_any, tabled_by_origin)


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
    index = network._duty_index
    if index is None or index[0] is not network.duties:
        index = network._duty_index = _index(network.duties)
    _, by_prefix, lengths, tabled_any, tabled_by_origin = index
    # programs with per-code rows for this origin: their empty-prefix row is a fallback
    tabled = tabled_by_origin.get(origin, tabled_any)
    # the rows whose prefix the code starts with (each prefix length of the table, looked
    # up): what a scan of the whole table would keep. Rows of one prefix stay in table
    # order (the first of equal length wins, as in a scan); a longer prefix wins whatever
    # the order, so the buckets need no merging.
    rows = list(by_prefix.get("", ()))
    if valid:
        size = len(code)
        for length in lengths:
            if length > size:
                break
            found = by_prefix.get(code[:length])
            if found is not None:
                rows.extend(found)
    for row in rows:
        if row.origin_country and row.origin_country != origin:
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
        matches.append(_match(row, why))
    if len(matches) > 1:
        matches.sort(key=_mfn_first)
    result = tuple(matches)
    network._duty_memo[key] = result
    return result


def _mfn_first(match: DutyMatch) -> tuple[bool, str]:
    return (match.row.program != "mfn", match.row.program)


_match = maker(DutyMatch)
