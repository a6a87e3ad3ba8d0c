"""Returns pages, one module per part: requests and decisions (`requests`), reverse
logistics (`reverse`), inspection, disposition and refunds (`inspection`), return rates
(`reports`). Thin: each action calls one service and shows its error next to the field it
names."""
