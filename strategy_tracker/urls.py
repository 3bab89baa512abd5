from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from strategy_tracker.views import PasswordChangeView, PasswordResetConfirmView, PasswordResetView, start
from workforce.sso_views import SignOutView, local_passwords_only, signed_out

admin.site.site_header = "Strategy Tracker administration"
admin.site.site_title = "Strategy Tracker"
admin.site.index_title = "Organisational Planning"
# No navigation sidebar: the breadcrumbs and the home page lead everywhere, and at 1,280
# pixels its width is the lists' columns.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    # The admin's own password change does not count wrong old passwords: it is the site's.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    # Signing out of the admin signs out at the council's provider too (workforce/sso_views.py).
    path("admin/logout/", SignOutView.as_view()),
    path("admin/", admin.site.urls),
    # Before Django's own: the same page, limited per address and per client.
    path("accounts/password_reset/", local_passwords_only(PasswordResetView.as_view()), name="password_reset"),
    # A wrong old password counts toward the sign-in lock-out.
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    # Setting a new password through the emailed link lifts a lock-out on the account.
    path(
        "accounts/reset/<uidb64>/<token>/",
        local_passwords_only(PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    # Single sign-on (workforce/sso_views.py): while it is on, the reset pages are gone, and
    # signing out after a council sign-in signs out at the provider too.
    path(
        "accounts/password_reset/done/",
        local_passwords_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/done/",
        local_passwords_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/signed-out/", signed_out, name="signed_out"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("dashboard/", include("dashboard.urls")),
    # Published reports, read without signing in; and the planners' pages that publish them.
    path("published/", include("publishing.public_urls")),
    path("publishing/", include("publishing.urls")),
    path("", start, name="start"),
    path("", include("reporting.urls")),
]

handler500 = "strategy_tracker.views.server_error"
