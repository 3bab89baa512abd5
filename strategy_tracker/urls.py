from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Strategy Tracker administration"
admin.site.site_title = "Strategy Tracker"
admin.site.index_title = "Organisational Planning"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("actions.urls")),
]
