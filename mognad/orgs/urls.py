from django.urls import include, path

from mognad.orgs import domain_views, passkey_views, twofactor_views, views

orgs_patterns = [
    path("accounts/", views.account, name="account"),
    path("accounts/password/", views.change_password, name="change_password"),
    path("accounts/2fa/verify/", twofactor_views.verify_2fa, name="verify_2fa"),
    path("accounts/2fa/enroll/", twofactor_views.enroll_2fa, name="enroll_2fa"),
    path("accounts/2fa/disable/", twofactor_views.disable_2fa, name="disable_2fa"),
    path("accounts/2fa/recovery-codes/", twofactor_views.recovery_codes, name="recovery_codes"),
    path("accounts/2fa/passkeys/", passkey_views.passkey_list, name="passkeys"),
    path(
        "accounts/2fa/passkeys/options/",
        passkey_views.passkey_register_options,
        name="passkey_register_options",
    ),
    path(
        "accounts/2fa/passkeys/register/",
        passkey_views.passkey_register,
        name="passkey_register",
    ),
    path(
        "accounts/2fa/passkeys/<int:passkey_id>/remove/",
        passkey_views.passkey_remove,
        name="passkey_remove",
    ),
    path(
        "accounts/2fa/passkey/options/",
        passkey_views.passkey_auth_options,
        name="passkey_auth_options",
    ),
    path(
        "accounts/2fa/passkey/verify/",
        passkey_views.passkey_authenticate,
        name="passkey_authenticate",
    ),
    path(
        "users/<int:user_id>/second-factor/reset/",
        twofactor_views.reset_second_factor,
        name="reset_2fa",
    ),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("orgs/", views.dashboard, name="dashboard"),
    path("orgs/new/", views.register_organization, name="register"),
    path("orgs/<slug:slug>/", views.detail, name="detail"),
    path("orgs/<slug:slug>/units/new/", views.unit_create, name="unit_create"),
    path("orgs/<slug:slug>/units/<int:unit_id>/", views.unit_edit, name="unit_edit"),
    path("orgs/<slug:slug>/units/<int:unit_id>/delete/", views.unit_delete, name="unit_delete"),
    path("orgs/<slug:slug>/members/", views.members, name="members"),
    path("orgs/<slug:slug>/members/invite/", views.invite, name="invite"),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("orgs/<slug:slug>/settings/", views.org_settings, name="settings"),
    path("orgs/<slug:slug>/email-domains/", domain_views.email_domains, name="email_domains"),
    path("orgs/<slug:slug>/audit/", views.org_audit, name="audit"),
    path("audit/", views.global_audit, name="global_audit"),
]

urlpatterns = [
    # Named without a namespace: base.html and settings.LOGIN_URL use "login" and "logout".
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("", include((orgs_patterns, "orgs"))),
]
