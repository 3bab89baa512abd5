"""DMT's latest decision on an action's requests for help, for the lead's pages: the action
page and "Your actions" show it beside the action without a query of their own."""

from django.db.models import Case, CharField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Concat, Right

from actions.models import Action
from reporting.models import DmtDecision

#: What `with_latest_decision` adds to each action (None where DMT has decided nothing).
DECISION_FIELDS = ["dmt_decision_outcome", "dmt_decision_note", "dmt_decision_quarter"]


def with_latest_decision(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """The actions, each with DMT's latest decision on its requests for help: its outcome in
    words (`dmt_decision_outcome`), note and quarter ("Q3 2016/17", as `Quarter.label`
    writes it). Correlated subqueries within the actions' own query: no query of their own."""
    latest = DmtDecision.objects.filter(update__action=OuterRef("pk")).order_by("-update__period__start")
    label = Case(
        *(When(outcome=value, then=Value(words)) for value, words in DmtDecision.Outcome.choices),
        output_field=CharField(),
    )
    year = "update__period__year"
    quarter = Concat(
        Value("Q"),
        Cast("update__period__number", CharField()),
        Value(" "),
        Cast(year, CharField()),
        Value("/"),
        Right(Cast(F(year) + 1, CharField()), 2),
        output_field=CharField(),
    )
    return queryset.annotate(
        dmt_decision_outcome=Subquery(latest.annotate(words=label).values("words")[:1]),
        dmt_decision_note=Subquery(latest.values("note")[:1]),
        dmt_decision_quarter=Subquery(latest.annotate(label=quarter).values("label")[:1]),
    )
