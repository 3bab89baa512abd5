"""The public addresses of published reports: stable, and reached without signing in."""

from django.urls import path

from publishing import public_views

app_name = "published"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("feed.atom", public_views.feed, name="feed"),
    path("<slug:slug>/<str:quarter>/", public_views.report, name="report"),
    path("<slug:slug>/<str:quarter>/v<int:number>/", public_views.version, name="version"),
    path("<slug:slug>/<str:quarter>/v<int:number>/<str:name>", public_views.version_file, name="file"),
]
