from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("accounts/invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("account/", views.account_settings, name="settings"),
    path("account/organisation/", views.switch_organisation, name="switch_organisation"),
    path("account/tokens/", views.create_token, name="create_token"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("account/invitations/", views.invite, name="invite"),
    path(
        "account/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("account/members/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("account/notifications/", views.notification_list, name="notifications"),
    path(
        "account/notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
