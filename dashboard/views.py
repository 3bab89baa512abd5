"""The DMT's quarterly progress dashboard and its report pack (being written)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def index(request):
    raise Http404("No dashboard yet")


strategy = quarter = report_pdf = report_xlsx = index
