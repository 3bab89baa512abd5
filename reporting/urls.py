from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("actions/yours/", views.home, name="home"),
    path("actions/", views.action_list, name="list"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/update/", views.action_update, name="update"),
]
