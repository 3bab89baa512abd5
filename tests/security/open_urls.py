"""The site's addresses and two that must not be: one open to anyone, one kept by any cache
(tests/security/test_every_address.py checks that its walk finds them)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control

from strategy_tracker.urls import urlpatterns as site


def open_to_anyone(request, pk):
    return HttpResponse(f"Action {pk}")


@cache_control(public=True, max_age=60)
def kept_by_any_cache(request):
    return HttpResponse("Kept")


urlpatterns = [
    *site,
    path("open-to-anyone/<int:pk>/", open_to_anyone, name="open"),
    path("kept-by-any-cache/", kept_by_any_cache, name="cached"),
]
