"""`{% load returns_inspection %}{% inspection_panel r %}` in the return detail: the
inspection, disposition and refund as the viewing buyer, merchant or operator may see them
(operators also get the grade and confirm forms)."""

from django import template

from tradelane.core.access import current_actor

from .. import inspection

register = template.Library()


@register.inclusion_tag("returns/inspection_panel_body.html", takes_context=True)
def inspection_panel(context, r):
    from ..views.inspection import ConfirmForm, GradeForm

    actor = current_actor(context["request"])
    data = inspection.panel(actor=actor, request=r)
    proposed = data["inspection"].proposed if data["inspection"] else None
    data.update(
        request=context["request"],
        csrf_token=context.get("csrf_token"),
        grade_form=context.get("grade_form") or GradeForm(),
        confirm_form=context.get("confirm_form") or ConfirmForm(initial={"disposition": proposed}),
    )
    return data
