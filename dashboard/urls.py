from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("all/", views.summary, name="summary"),
    path("<slug:slug>/", views.strategy_view, name="strategy"),
    path("<slug:slug>/<str:quarter>/", views.quarter, name="quarter"),
    path("<slug:slug>/<str:quarter>/report.pdf", views.report_pdf, name="pdf"),
    path("<slug:slug>/<str:quarter>/report.xlsx", views.report_xlsx, name="xlsx"),
]
