"""Returns over the API, one module per part: requests and decisions (`requests`),
reverse logistics (`reverse`), inspection, disposition and refunds (`inspection`), return
rates (`reports`). Thin: parse, authorise, one service or selector, map."""

from ninja import Router

from . import inspection, reports, requests, reverse

router = Router(tags=["returns"])
router.add_router("", requests.router)
router.add_router("", reverse.router)
router.add_router("", inspection.router)
router.add_router("", reports.router)
