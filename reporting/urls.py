from django.urls import path

from reporting import action_views, cycle_views, dmt_views, refresh_views

app_name = "reporting"
urlpatterns = [
    path("actions/yours/", action_views.home, name="home"),
    path("actions/", action_views.action_list, name="list"),
    path("actions/<int:pk>/", action_views.action_detail, name="detail"),
    path("actions/<int:pk>/update/", action_views.action_update, name="update"),
    # Organisational Planning's quarterly cycle: a strategy's returns, by its short name and quarter ("q3-2016-17").
    path("returns/", cycle_views.returns_index, name="returns_index"),
    path("returns/<slug:strategy>/", cycle_views.returns_strategy, name="returns_strategy"),
    path("returns/<slug:strategy>/<slug:quarter>/", cycle_views.returns_page, name="returns"),
    path("returns/<slug:strategy>/<slug:quarter>/close/", cycle_views.returns_close, name="returns_close"),
    path("returns/<slug:strategy>/<slug:quarter>/reopen/", cycle_views.returns_reopen, name="returns_reopen"),
    path("returns/<slug:strategy>/<slug:quarter>/sign-off/", cycle_views.returns_sign_off, name="returns_sign_off"),
    path("returns/<slug:strategy>/<slug:quarter>/reminders/", cycle_views.returns_reminders, name="returns_reminders"),
    path(
        "returns/<slug:strategy>/<slug:quarter>/reminders/<int:reminder>/resend/",
        cycle_views.reminder_resend,
        name="reminder_resend",
    ),
    # The yearly refresh: a new strategy made from this one, chosen actions carried forward.
    path("strategies/<slug:strategy>/refresh/", refresh_views.strategy_refresh_view, name="strategy_refresh"),
    # The DMT meeting: key messages and DMT's decisions on requests for help.
    path("returns/<slug:strategy>/<slug:quarter>/dmt/", dmt_views.dmt_page, name="dmt"),
    path("returns/<slug:strategy>/<slug:quarter>/dmt/<int:update>/", dmt_views.dmt_decision, name="dmt_decision"),
]
