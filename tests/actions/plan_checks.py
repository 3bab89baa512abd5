"""The end-to-end check of the plan import, for tables however they were read (a Word
document's or a PDF's): loaded as a planner would, with the mapping suggested taken as it is
and one preview, then compared action by action with the project's fixture of the strategy.

    assert_matches_fixture("leicestershire-cfs-2016-17", tables, user=planner)
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from actions.word_import import load_plan
from actions.word_import_admin import MappingForm
from outcomes.models import Strategy
from tests import factories
from workforce.models import Team

TOKEN = "t" * 24


def posted(form) -> dict:
    """A form's fields as the browser posts them, unchanged: a ticked box "on", an unticked
    one and an empty choice left out, a number as it is (0 included)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value is not False and value is not None:
            data[name] = value
    return data


def suggested_mapping(tables, strategy: Strategy, **changed) -> MappingForm:
    """The mapping page as the planner first sees it, posted back unchanged (one mapping step)
    but for the fields ``changed``."""
    team_names = list(Team.objects.values_list("name", flat=True))
    shown = MappingForm(initial={"token": TOKEN}, tables=tables, strategy=strategy, team_names=team_names)
    data = {**posted(shown), **changed}
    back = MappingForm(data, tables=tables, strategy=strategy, team_names=team_names)
    assert back.is_valid(), back.errors
    return back


def load_first_time(tables, strategy: Strategy, *, user):
    """Preview the suggested mapping once (nothing saved, nothing wrong), then save it; the
    records saved."""
    mapping = suggested_mapping(tables, strategy)
    mappings, outcome = mapping.mappings(), mapping.outcome_for_rows_without()
    preview = load_plan(strategy, tables, mappings, user=user, save=False, outcome=outcome)
    assert [error for record in preview for error in record.errors] == []
    assert not strategy.actions.exists()  # the preview saved nothing
    saved = load_plan(strategy, tables, mappings, user=user, save=True, outcome=outcome)
    assert [error for record in saved for error in record.errors] == []
    return saved


def described(action: Action) -> dict:
    """An action as the comparison reads it: where it sits, its words, leads, dates, cost, measures."""
    recommendation = action.recommendation
    measures = list(recommendation.measures.order_by("number")) if recommendation else []
    return {
        "reference": action.reference,
        "outcome": (action.outcome.number, action.outcome.title),
        "recommendation": (recommendation.number, recommendation.title) if recommendation else None,
        "description": action.description,
        "lead_teams": sorted(team.name for team in action.lead_teams.all()),
        "lead_officer": action.lead_officer,
        "timescale": action.timescale,
        "dates": (action.start_date, action.due_date, action.is_ongoing),
        "estimated_cost": action.estimated_cost,
        "framework_link": action.framework_link,
        "measures": [(m.measure, m.indicator) for m in measures],
    }


def fixture_strategy(slug: str) -> Strategy:
    """The project's fixture of the strategy, loaded with the teams it names."""
    call_command("loaddata", "teams", slug, verbosity=0)
    return Strategy.objects.get(slug=slug)


def assert_matches_fixture(strategy_slug: str, tables, *, user) -> Strategy:
    """Load ``tables`` into a new, empty strategy of the same period first time (the mapping
    suggested, one preview) and assert that it matches the fixture of ``strategy_slug`` action
    by action. Loads the fixture if it is not loaded yet; returns the new strategy."""
    original = Strategy.objects.filter(slug=strategy_slug).first() or fixture_strategy(strategy_slug)
    copy = empty_copy(original)
    load_first_time(tables, copy, user=user)
    assert_same_actions(original, copy)
    return copy


def empty_copy(original: Strategy) -> Strategy:
    """A new strategy of the same period as ``original``, with no plan yet."""
    return factories.StrategyFactory(
        slug=f"{original.slug}-loaded", period_start=original.period_start, period_end=original.period_end
    )


def assert_same_actions(original: Strategy, copy: Strategy) -> None:
    """The two strategies' actions are the same, one by one, in the document's order."""
    ordered = ("order", "reference")
    expected = [described(a) for a in original.actions.order_by(*ordered)]
    loaded = [described(a) for a in copy.actions.order_by(*ordered)]
    assert len(loaded) == len(expected)
    for theirs, ours in zip(expected, loaded, strict=True):
        assert ours == theirs, f"action {theirs['reference']} differs"


def load_through_the_admin(client, strategy: Strategy, content: bytes, name: str = "plan.docx") -> None:
    """Upload a document in the admin's import, post the mapping page back as it was shown,
    preview once (nothing wrong, nothing saved) and save."""
    url = reverse("admin:actions_action_word_import")
    upload = SimpleUploadedFile(name, content)
    mapped = client.post(url, {"step": "upload", "strategy": strategy.pk, "document": upload})
    assert mapped.context["step"] == "map", mapped.context["upload"].errors
    data = posted(mapped.context["mapping"])
    preview = client.post(url, {**data, "step": "preview"})
    assert preview.context["step"] == "preview" and preview.context["failed"] == []
    assert not strategy.actions.exists()
    saved = client.post(url, {**data, "step": "save"})
    assert saved.status_code == 302
