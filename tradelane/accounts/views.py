"""Account pages: sign-up, sign-in, password reset, members, invitations, API tokens."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradelane.core.access import ANY_MEMBER, ORG_OWNER, PUBLIC, SIGNED_IN, allow, current_actor
from tradelane.core.errors import DomainError
from tradelane.web.context import HOME_BY_KIND

from . import notifications, selectors, services
from .forms import (
    AcceptInvitationForm,
    EmailAuthenticationForm,
    InviteForm,
    SignUpForm,
    TokenForm,
    add_domain_error,
)
from .invitations import invitation_id_from
from .models import ROLES_BY_KIND, Invitation
from .selectors import SESSION_ORG_KEY


def _home_for(user, organisation_id=None) -> str:
    actor = selectors.actor_for(user, organisation_id)
    return reverse(HOME_BY_KIND[actor.kind]) if actor.kind else reverse("accounts:settings")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return _home_for(self.request.user)


login_view = allow(PUBLIC)(LoginView.as_view())
logout_view = allow(PUBLIC)(auth_views.LogoutView.as_view())

password_reset = allow(PUBLIC)(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = allow(PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = allow(PUBLIC)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = allow(PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


@allow(PUBLIC)
def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.sign_up(**form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, membership.user, backend="tradelane.accounts.backends.EmailBackend")
            request.session[SESSION_ORG_KEY] = membership.organisation_id
            messages.success(request, _("Welcome to Tradelane."))
            return redirect(_home_for(membership.user, membership.organisation_id))
    return TemplateResponse(
        request, "accounts/signup.html", {"form": form}, status=422 if form.errors else 200
    )


def _settings_context(request, **extra):
    actor = current_actor(request)
    context = {
        "memberships": selectors.memberships_of(actor.user),
        "tokens": selectors.list_tokens(actor=actor)[:100],
        "token_form": TokenForm(),
    }
    if actor.organisation is not None:
        context["members"] = selectors.list_members(actor=actor)
        if actor.role in ("owner", "admin"):
            context["invitations"] = selectors.list_invitations(actor=actor).filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            )
            context["invite_form"] = InviteForm(roles=ROLES_BY_KIND[actor.organisation.kind])
    context.update(extra)
    return context


@allow(SIGNED_IN)
def account_settings(request):
    return TemplateResponse(request, "accounts/settings.html", _settings_context(request))


@require_POST
@allow(SIGNED_IN)
def switch_organisation(request):
    actor = current_actor(request)
    try:
        organisation_id = int(request.POST.get("organisation_id", ""))
    except ValueError:
        organisation_id = None
    if not selectors.memberships_of(actor.user).filter(organisation_id=organisation_id).exists():
        messages.error(request, _("You are not a member of that organisation."))
        return redirect("accounts:settings")
    request.session[SESSION_ORG_KEY] = organisation_id
    return redirect(_home_for(actor.user, organisation_id))


@allow(SIGNED_IN)
def create_token(request):
    """POST creates a token and shows its secret once, on this response only."""
    if request.method != "POST":
        return redirect(reverse("accounts:settings") + "#tokens")
    actor = current_actor(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.create_token(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return TemplateResponse(
                request,
                "accounts/settings.html",
                _settings_context(request, new_token=token, new_secret=secret),
            )
    return TemplateResponse(
        request, "accounts/settings.html", _settings_context(request, token_form=form), status=422
    )


@require_POST
@allow(SIGNED_IN)
def revoke_token(request, token_id: int):
    token = services.revoke_token(actor=current_actor(request), token_id=token_id)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:settings")


@require_POST
@allow(ORG_OWNER)
def invite(request):
    actor = current_actor(request)
    form = InviteForm(request.POST, roles=ROLES_BY_KIND[actor.organisation.kind])
    if form.is_valid():
        try:
            invitation = services.invite_member(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:settings")
    return TemplateResponse(
        request, "accounts/settings.html", _settings_context(request, invite_form=form), status=422
    )


@require_POST
@allow(ORG_OWNER)
def revoke_invitation(request, invitation_id: int):
    services.revoke_invitation(actor=current_actor(request), invitation_id=invitation_id)
    messages.success(request, _("Invitation revoked."))
    return redirect("accounts:settings")


@require_POST
@allow(ORG_OWNER)
def remove_member(request, membership_id: int):
    try:
        services.remove_member(actor=current_actor(request), membership_id=membership_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Member removed."))
    return redirect("accounts:settings")


@allow(PUBLIC)
def accept_invitation(request, token: str):
    try:
        invitation = Invitation.objects.select_related("organisation").get(
            pk=invitation_id_from(token)
        )
    except (DomainError, Invitation.DoesNotExist):
        return TemplateResponse(request, "accounts/invitation_closed.html", status=410)
    if not invitation.is_open:
        return TemplateResponse(request, "accounts/invitation_closed.html", status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (request.user.is_authenticated or form.is_valid()):
        data = form.cleaned_data if not request.user.is_authenticated else {}
        try:
            membership = services.accept_invitation(
                invitation_id=invitation.pk, user=request.user, **data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if not request.user.is_authenticated:
                login(request, membership.user, backend="tradelane.accounts.backends.EmailBackend")
            request.session[SESSION_ORG_KEY] = membership.organisation_id
            messages.success(
                request, _("You joined %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect(_home_for(membership.user, membership.organisation_id))
    return TemplateResponse(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation},
        status=422 if form.errors else 200,
    )


# --- notifications ---------------------------------------------------------------------------


@allow(ANY_MEMBER)
def notification_list(request):
    actor = current_actor(request)
    page = Paginator(notifications.list_notifications(actor=actor), 25).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "accounts/notifications.html", {"page": page})


@require_POST
@allow(ANY_MEMBER)
def notification_read(request, notification_id: int):
    notifications.mark_read(actor=current_actor(request), notification_id=notification_id)
    return redirect("accounts:notifications")
