"""Return-rate charts: one horizontal bar per merchant or per top-level category, drawn with
the project's accessible SVG bar chart (`markets.charts.bar_chart`: a titled `<svg
role="img">` with a description and one titled group per bar). The pages print the same
figures in a table right below each chart: the chart's text alternative."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tradelane.markets.charts import Bar, Layout, bar_chart
from tradelane.markets.templatetags.market_format import percent

from .reports import RateRow

# room for merchant names on the left and "12.5% (5/40)" on the right
LAYOUT = Layout(width=720, label_width=210, value_width=130)
LABEL_CHARS = 30  # longer names are cut in the chart (with "…"); the table has them whole


def step_for(rows: Sequence[RateRow]) -> Decimal:
    """An axis step (in percent) that keeps about 4–10 ticks."""
    largest = max((r.percent for r in rows if r.percent is not None), default=Decimal(0))
    for step in (Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(25), Decimal(50)):
        if largest <= step * 10:
            return step
    return Decimal(100)


def bar_text(row: RateRow) -> str:
    """e.g. "12.5% (5/40)"; "—" without deliveries."""
    shown = percent(row.rate) if row.rate is not None else "—"
    return f"{shown} ({row.returned}/{row.delivered})"


def rate_chart(rows: Sequence[RateRow], *, chart_id: str, title: str) -> SafeString:
    """One bar per row: the return rate in percent, labelled with units returned/delivered.
    A row without deliveries has no bar and says so. Rows come in the table's order."""
    bars = [
        Bar(
            label=Truncator(str(row.label)).chars(LABEL_CHARS),
            value=row.percent,
            text=bar_text(row),
            emphasis=True,
        )
        for row in rows
    ]
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=title,
        description=_(
            "Horizontal bars, one per row of the table below: units returned as a share of "
            "units delivered in the period, with the units returned/delivered. The same "
            "figures are in the table."
        ),
        legend=[(True, _("Return rate"))],
        step=step_for(rows),
        tick_text=lambda value: percent(value / 100),
        missing_text=_("— no deliveries"),
        layout=LAYOUT,
    )
