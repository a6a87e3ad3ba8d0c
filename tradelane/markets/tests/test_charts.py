"""The inline SVG bar chart: exact geometry, escaping and accessible names."""

import re
from decimal import Decimal

import pytest

from tradelane.markets.charts import Bar, Layout, bar_chart, bar_width, scale_max


def chart(bars, **kwargs):
    args = {
        "chart_id": "c",
        "title": "Rates",
        "description": "One bar per market.",
        "legend": [(True, "Live"), (False, "Other")],
        "step": Decimal("0.05"),
        "tick_text": lambda v: f"{v * 100:.0f}%",
        "missing_text": "none",
    }
    return str(bar_chart(bars, **{**args, **kwargs}))


def rect_widths(svg):
    return re.findall(r'<rect x="170" y="\d+" width="([\d.]+)" height="18"', svg)


@pytest.mark.parametrize(
    "values, expected",
    [
        ([Decimal("0.2"), Decimal("0.19")], Decimal("0.20")),
        ([Decimal("0.27")], Decimal("0.30")),
        ([Decimal("0")], Decimal("0.05")),
        ([None], Decimal("0.05")),
        ([Decimal("0.25"), None], Decimal("0.25")),
    ],
)
def test_scale_rounds_the_largest_value_up_to_a_whole_step(values, expected):
    assert scale_max(values, Decimal("0.05")) == expected


def test_bar_widths_are_value_over_scale_times_plot_width():
    assert Layout().plot_width == 400
    assert bar_width(Decimal("0.2"), Decimal("0.25"), 400) == Decimal("320.00")
    assert bar_width(Decimal("0.19"), Decimal("0.3"), 400) == Decimal("253.33")
    assert bar_width(Decimal("0.05"), Decimal("0.3"), 400) == Decimal("66.67")


def test_chart_draws_exact_bars_and_skips_missing_values():
    bars = [
        Bar("Germany (DE)", Decimal("0.19"), "19%", emphasis=True, note="live"),
        Bar("Saudi Arabia (SA)", Decimal("0.15"), "15%"),
        Bar("Japan (JP)", Decimal("0.1"), "10%"),
        Bar("Nowhere (ZZ)", None, ""),
        Bar("Hungary (HU)", Decimal("0.27"), "27%"),
    ]
    svg = chart(bars)
    # scale 30%: 0.19/0.30*400 = 253.333…, 0.15 → 200, 0.10 → 133.333…, 0.27 → 360
    assert rect_widths(svg) == ["253.33", "200", "133.33", "360"]
    assert '<rect x="170" y="30" width="253.33" height="18" fill="#1d4ed8"/>' in svg
    assert 'fill="#94a3b8"' in svg
    assert "<title>Germany (DE) (live): 19%</title>" in svg
    assert "<title>Nowhere (ZZ): none</title>" in svg
    # the value is printed after its bar: x = 170 + 253.33 + 6
    assert '<text x="429.33" y="44" font-weight="bold">19%</text>' in svg
    # axis ticks every 5% up to the scale
    assert [t for t in re.findall(r'fill="#475569">([^<]+)<', svg)] == [
        "0%",
        "5%",
        "10%",
        "15%",
        "20%",
        "25%",
        "30%",
    ]
    height = 30 + 5 * 24 + 24
    assert f'viewBox="0 0 640 {height}"' in svg


def test_chart_is_accessible_and_escapes_text():
    svg = chart([Bar("<script>", Decimal("0.1"), "10%")], title="A & B")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">A &amp; B</title>' in svg
    assert '<desc id="c-desc">One bar per market.</desc>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
