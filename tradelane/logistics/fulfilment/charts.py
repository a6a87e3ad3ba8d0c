"""SLA charts: on-time handover % and on-time delivery % by lane, tier and week, drawn
with the project's accessible SVG bar chart (`markets.charts.bar_chart`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradelane.markets.charts import Bar, bar_chart

TITLES = {
    "handover_lane": (gettext_lazy("On-time handover by lane"), "handover"),
    "handover_tier": (gettext_lazy("On-time handover by tier"), "handover"),
    "handover_week": (gettext_lazy("On-time handover by week"), "handover"),
    "delivery_lane": (gettext_lazy("On-time delivery by lane"), "delivery"),
    "delivery_tier": (gettext_lazy("On-time delivery by tier"), "delivery"),
    "delivery_week": (gettext_lazy("On-time delivery by week"), "delivery"),
}


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def sla_charts(rates: dict) -> list[tuple[str, str, object]]:
    out = []
    for key, (title, _kind) in TITLES.items():
        bars = [
            Bar(
                label=rate.key,
                value=rate.percent,
                text=f"{_pct(rate.percent)} ({rate.on_time}/{rate.total})"
                if rate.percent is not None
                else "—",
                emphasis=True,
            )
            for rate in rates[key]
        ]
        svg = bar_chart(
            bars,
            chart_id=f"sla-{key.replace('_', '-')}",
            title=str(title),
            description=_("Share of shipments on time, with counts."),
            legend=[(True, _("on time"))],
            step=Decimal(25),
            tick_text=lambda v: f"{v:f}%",
            missing_text=_("no shipments yet"),
        )
        out.append((key, str(title), svg))
    return out
