"""The yearly refresh's page: a planner makes the new strategy from the old one, choosing the
actions to carry forward (ongoing and unfinished ones proposed).

The form is `reporting.refresh_forms`, the list of actions `reporting.action_selectors`, and
the write `actions.services.strategy_refresh`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions import services
from outcomes.models import Strategy
from reporting.action_selectors import refresh_candidates
from reporting.refresh_forms import StrategyRefreshForm
from workforce.roles import planner_required


@login_required
@require_http_methods(["GET", "POST"])
def strategy_refresh_view(request: HttpRequest, strategy: str) -> HttpResponse:
    """The refresh page (GET) and the new strategy's creation (POST), for planners."""
    planner_required(request.user, "refresh a strategy")  # to read the page; the service refuses the write itself
    source = get_object_or_404(Strategy, slug=strategy)
    rows = refresh_candidates(source)
    form = StrategyRefreshForm(request.POST or None, source=source, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.strategy_refresh(
                source=source,
                user=request.user,
                carried=form.carried(),
                **{
                    name: form.cleaned_data[name]
                    for name in ("title", "slug", "period_label", "period_start", "period_end")
                },
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            count = len(form.carried())
            messages.success(
                request,
                f"{new.title} is made, with {count} action{'s' if count != 1 else ''} carried forward from "
                f"{source.period_label}. Open its first quarter when updates are due.",
            )
            return redirect(f"{reverse('reporting:list')}?strategy={new.pk}")
    return render(
        request,
        "reporting/refresh.html",
        {"source": source, "form": form, "rows": form.row_fields(), "proposed": sum(r.proposed for r in rows)},
    )
