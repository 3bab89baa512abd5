"""Organisational Planning's publishing pages, by a strategy's short name and quarter ("q3-2016-17")."""

from django.urls import path

from publishing import views

app_name = "publishing"
urlpatterns = [
    path("<slug:strategy>/<slug:quarter>/", views.quarter, name="quarter"),
    path("<slug:strategy>/<slug:quarter>/preview/", views.preview, name="preview"),
    path("<slug:strategy>/<slug:quarter>/preview/<str:name>", views.preview_file, name="preview_file"),
    path("<slug:strategy>/<slug:quarter>/publish/", views.publish, name="publish"),
    path("<slug:strategy>/<slug:quarter>/correct/", views.correct, name="correct"),
    path("<slug:strategy>/<slug:quarter>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:strategy>/<slug:quarter>/withhold/<int:action>/", views.withhold, name="withhold"),
    path("<slug:strategy>/<slug:quarter>/release/<int:action>/", views.release, name="release"),
]
