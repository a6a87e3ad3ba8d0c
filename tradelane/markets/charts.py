"""Server-rendered inline SVG charts (no JavaScript, no CDN), accessible by construction.

`bar_chart` draws horizontal bars from `Bar`s; `standard_rate_chart` compares the standard
VAT/GST rate in force today across markets. Geometry is computed in Decimal so a bar's
width is exact: value / scale × plot width, rounded half-up to 0.01 px.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .templatetags.market_format import percent

PX = Decimal("0.01")
STRONG = "#1d4ed8"  # live markets
MUTED = "#94a3b8"  # the others


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # None: no figure (drawn as a note, not as a zero bar)
    text: str  # the value as people read it, e.g. "19%"
    emphasis: bool = False
    note: str = ""  # said in the bar's tooltip and accessible name, e.g. "live"


@dataclass(frozen=True)
class Layout:
    width: int = 640
    label_width: int = 170
    value_width: int = 70
    bar_height: int = 18
    gap: int = 6
    top: int = 30  # room for the legend
    bottom: int = 24  # room for the axis labels

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - self.value_width

    def height(self, bars: int) -> int:
        return self.top + bars * (self.bar_height + self.gap) + self.bottom


def scale_max(values: Sequence[Decimal | None], step: Decimal) -> Decimal:
    """The axis maximum: the largest value rounded up to a whole step (at least one step)."""
    largest = max((v for v in values if v is not None), default=Decimal(0))
    steps = (largest / step).to_integral_value(rounding=ROUND_CEILING)
    return max(steps, Decimal(1)) * step


def bar_width(value: Decimal, scale: Decimal, plot_width: int) -> Decimal:
    return (value / scale * plot_width).quantize(PX, rounding=ROUND_HALF_UP)


def _n(value) -> str:
    return f"{Decimal(value).quantize(PX, rounding=ROUND_HALF_UP):f}".rstrip("0").rstrip(".")


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    legend: Sequence[tuple[bool, str]],
    step: Decimal,
    tick_text: Callable[[Decimal], str],
    missing_text: str,
    layout: Layout | None = None,
) -> SafeString:
    """An `<svg role="img">` with a `<title>`, a `<desc>` and one titled group per bar."""
    layout = layout or Layout()
    scale = scale_max([b.value for b in bars], step)
    x0 = layout.label_width
    height = layout.height(len(bars))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {layout.width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="12" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    legend_x = x0
    for emphasis, text in legend:
        colour = STRONG if emphasis else MUTED
        parts.append(
            f'<rect x="{legend_x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="16">{escape(text)}</text>'
        )
        legend_x += 28 + 7 * len(text)
    bottom = layout.top + len(bars) * (layout.bar_height + layout.gap)
    ticks = int(scale / step)
    for i in range(ticks + 1):
        value = step * i
        x = x0 + bar_width(value, scale, layout.plot_width)
        parts.append(
            f'<line x1="{_n(x)}" y1="{layout.top - 4}" x2="{_n(x)}" y2="{bottom}" '
            f'stroke="#e2e8f0"/><text x="{_n(x)}" y="{bottom + 14}" text-anchor="middle" '
            f'fill="#475569">{escape(tick_text(value))}</text>'
        )
    for i, bar in enumerate(bars):
        y = layout.top + i * (layout.bar_height + layout.gap)
        text_y = y + layout.bar_height - 4
        name = f"{bar.label} ({bar.note})" if bar.note else bar.label
        shown = bar.text if bar.value is not None else missing_text
        weight = ' font-weight="bold"' if bar.emphasis else ""
        parts.append(f'<g class="bar{" emphasis" if bar.emphasis else ""}">')
        parts.append(f"<title>{escape(name)}: {escape(shown)}</title>")
        parts.append(
            f'<text x="{x0 - 6}" y="{text_y}" text-anchor="end"{weight}>{escape(bar.label)}</text>'
        )
        width = Decimal(0)
        if bar.value is not None:
            width = bar_width(bar.value, scale, layout.plot_width)
            colour = STRONG if bar.emphasis else MUTED
            parts.append(
                f'<rect x="{x0}" y="{y}" width="{_n(width)}" height="{layout.bar_height}" '
                f'fill="{colour}"/>'
            )
        parts.append(f'<text x="{_n(x0 + width + 6)}" y="{text_y}"{weight}>{escape(shown)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def standard_rate_chart(markets) -> SafeString:
    """Markets (with `.regime` in force today, or None) as bars of their standard rate."""
    live = _("live")
    bars = [
        Bar(
            label=f"{market.name} ({market.code})",
            value=market.regime.standard_rate if market.regime else None,
            text=percent(market.regime.standard_rate) if market.regime else "",
            emphasis=market.status == "live",
            note=live if market.status == "live" else "",
        )
        for market in markets
    ]
    return bar_chart(
        bars,
        chart_id="standard-rate-chart",
        title=_("Standard VAT/GST rate in force today, by market"),
        description=_(
            "Horizontal bars, one per market; live markets are drawn in dark blue, the "
            "others in grey. The same figures are in the table below."
        ),
        legend=[(True, _("Live market")), (False, _("Planned or recruiting"))],
        step=Decimal("0.05"),
        tick_text=percent,
        missing_text=_("no rule recorded"),
    )
