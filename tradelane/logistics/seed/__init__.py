"""Reference logistics network (facts §3.4, §4): lanes, rate cards, duty tables."""

from .duties import DUTY_RATES
from .network import AS_OF, LANES, RATE_CARDS

__all__ = ["AS_OF", "DUTY_RATES", "LANES", "RATE_CARDS"]
