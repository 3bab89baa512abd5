"""A hand-built timeline across three quarters of 2016/17 (Q3 open), for the report's figures.

| action | due        | Q1                  | Q2                     | Q3                            |
| A      | 30 Jun 17  | in progress, Green  | in progress, Amber     | in progress, Red, help asked  |
| B      | 30 Jun 17  | in progress, Green  | complete (12 Sep 16)   | none (complete earlier)       |
| C      | 30 Jun 17  | not started, Green  | none (missing)         | in progress, Green (late)     |
| D      | 31 Aug 16  | in progress, Green  | in progress, Amber     | none (missing, overdue)       |
| E      | 30 Jun 17  | none                | in progress, Green     | on hold, with reason          |
| F      | 31 Jan 17  | none                | none                   | none (due next quarter)       |
A, B and C are in outcome 1; D, E and F in outcome 2.
"""

import datetime

import pytest

from reporting.models import ReportingPeriod, Status
from tests import factories


@pytest.fixture
def timeline(db):
    strategy = factories.StrategyFactory(slug="leics", title="Children's Workforce Strategy 2016/17")
    one = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    two = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=2, number=1)
    team = factories.TeamFactory(name="Organisational Planning")
    q1, q2, q3 = (factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=n) for n in (1, 2, 3))
    ReportingPeriod.objects.filter(pk__in=[q1.pk, q2.pk]).update(state=ReportingPeriod.State.CLOSED)
    later = datetime.date(2017, 6, 30)
    due = {
        "A": later,
        "B": later,
        "C": later,
        "D": datetime.date(2016, 8, 31),
        "E": later,
        "F": datetime.date(2017, 1, 31),
    }
    actions = {}
    for index, name in enumerate("ABCDEF"):
        actions[name] = factories.ActionFactory(
            recommendation=one if name in "ABC" else two,
            reference=f"{1 if name in 'ABC' else 2}.1.{index + 1}",
            order=index + 1,
            description=f"Action {name}",
            due_date=due[name],
            start_date=datetime.date(2016, 4, 1),
            lead_teams=[team],
        )

    def update(name, period, status=Status.IN_PROGRESS, rag="green", **fields):
        return factories.ProgressUpdateFactory(
            action=actions[name], period=period, status=status, rag=rag, progress=f"{name} in {period}", **fields
        )

    update("A", q1)
    update("A", q2, rag="amber")
    update("A", q3, rag="red", help_needed="DMT to agree funding for A")
    update("B", q1)
    update("B", q2, status=Status.COMPLETE, rag="", completed_on=datetime.date(2016, 9, 12))
    update("C", q1, status=Status.NOT_STARTED)
    update("C", q3)
    update("D", q1)
    update("D", q2, rag="amber")
    update("E", q2)
    update("E", q3, status=Status.ON_HOLD, rag="", reason="Waiting for the new intranet")
    return {"strategy": strategy, "q1": q1, "q2": q2, "q3": q3, "actions": actions, "team": team}
