from django.urls import path

from assure.accounts import mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-in/organisation/", views.sso_start, name="sso-start"),
    path("sign-in/organisation/return/", views.sso_callback, name="sso-callback"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("password/change/", views.ChangePasswordView.as_view(), name="password-change"),
    path("password/reset/", views.ResetPasswordView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.ResetPasswordSentView.as_view(), name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.SetNewPasswordView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("sign-in/code/", mfa_views.second_step, name="mfa-verify"),
    path("sign-in/set-up/", mfa_views.set_up, name="mfa-set-up"),
    path("account/recovery-codes/", mfa_views.recovery_codes, name="mfa-recovery-codes"),
    path("account/", mfa_views.security, name="security"),
    path("account/passkeys/<int:pk>/remove/", mfa_views.remove_passkey, name="passkey-remove"),
    path("unlock/", views.unlock_request, name="unlock-request"),
    path("unlock/<uidb64>/<token>/", views.unlock_account, name="unlock"),
]
