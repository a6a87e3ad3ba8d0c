from django import template
from django.utils import translation

from tradelane.core.money import Money

register = template.Library()


@register.filter(name="money")
def money_filter(value, locale: str | None = None) -> str:
    """Format a Money for the viewer's language (or the given locale)."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Money):
        return str(value)
    return value.format(locale or translation.get_language() or "en")
