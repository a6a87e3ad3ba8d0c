from decimal import Decimal

from babel.numbers import format_percent
from django import template
from django.utils import translation

register = template.Library()


@register.filter(name="percent")
def percent(value) -> str:
    """A fraction (Decimal 0.2) as a percentage for the viewer's language: 20%."""
    if value is None or value == "":
        return "—"
    locale = (translation.get_language() or "en").replace("-", "_")
    return format_percent(Decimal(value), locale=locale, decimal_quantization=False)
