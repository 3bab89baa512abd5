"""A strategy's plan loaded from the tables of its Word document (or its PDF).

``actions.word_tables.read_tables`` reads an uploaded .docx into rows of cell text;
``actions.plan_columns`` groups tables with the same header into one plan and suggests what
each column holds; the planner confirms one mapping a plan; ``load_plan`` turns the rows into
outcomes, recommendations, measures of success and actions, all inside one transaction. It
returns every record as it will be saved, with its errors; unless asked to save and nothing
is wrong, the transaction is rolled back, so a preview saves nothing and one bad row blocks
the whole load.

How a plan's cells are read:

- A cell merged down several rows gives its text to each row (an action cell merged down is
  one action); an outcome cell left blank is the outcome above, so a row naming only an
  outcome heads the rows below it.
- A plan with no outcome column loads into the outcome the planner picks, or a new one they
  name (``load_plan``'s ``outcome``).
- A cell's lines are one action: numbered or lettered items ("i." to "vii.", "a)", "1.") stay
  on lines of their own within it. The cell's leading number ("3. ", "2.1.4 ") is the
  action's reference when the plan has no reference column, and is not kept in the text.
- A measure of success belongs to a recommendation: the action's, or, where the plan has
  no recommendation column, one made for the action from its own words. Each paragraph or
  item of a measure cell is a measure; the evidence cell's lines are paired with them.
- A cost is read from the words of its cell (``actions.costs``), the cell kept as its note.
- A lead officer who matches an account's full name is linked to it; others are named only.

Every error names the table, the row and the column as the document heads it, and says what
to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Lower

from actions import services
from actions.costs import note_line, read_cost
from actions.models import Action
from actions.plan_cells import ITEM, description_and_number, item_lines, joined, officers_of, shortened, title_of
from actions.plan_columns import FIELDS, Plan, headers_of
from actions.timescales import timescale_lines_joined
from actions.word_tables import Table
from outcomes.models import Outcome, Recommendation, Strategy, SuccessMeasure
from strategy_tracker import data_version
from workforce.models import Team
from workforce.roles import planner_required

#: A record's fields and the model fields their text is saved in, for naming the column of an error.
_SAVED_AS = {
    "description": "action",
    "title": "outcome",
    "measure": "measure",
    "indicator": "indicator",
    "rationale": "rationale",
    "lead_officer": "lead_officer",
    "timescale": "timescale",
    "framework_link": "framework_link",
    "reference": "reference",
    "estimated_cost": "estimated_cost",
    "notes": "notes",
}
_NUMBERED_TITLE = re.compile(r"^\s*(?:outcome|theme|priority)?\s*(\d{1,2})\s*[.:)\-–]\s*", re.IGNORECASE)


@dataclass
class Mapping:
    """A plan's tables (numbers from 1), its header rows, each column's field and header."""

    table: int
    header_rows: int
    columns: list[str]
    more_tables: tuple[int, ...] = ()
    headers: list[str] = field(default_factory=list)

    def plan(self, tables: list[Table]) -> Plan:
        """The plan mapped; its headers read from its first table unless given."""
        headers = self.headers or headers_of(tables[self.table - 1], self.header_rows)
        return Plan(tables=[self.table, *self.more_tables], header_rows=self.header_rows, headers=headers)


@dataclass
class Record:
    """One action to load, where it came from, what it will be saved as, and what is wrong."""

    table: int
    row: int
    values: dict[str, str]
    columns: dict[str, str] = field(default_factory=dict)  # field: the column's header in the document
    action: Action | None = None
    teams: list[Team] = field(default_factory=list)
    outcome_new: bool = False
    recommendation_new: bool = False
    officer_account: Any = None  # the lead officer's account, when their name is one account's
    measures: list[SuccessMeasure] = field(default_factory=list)
    measures_above: bool = False  # the same measures as a record above (its recommendation's)
    cost_note: str = ""
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"Table {self.table}, row {self.row}"

    def problem(self, name: str, message: str) -> None:
        """An error naming the row and the column (as the document heads it) of field ``name``."""
        column = self.columns.get(name)
        self.errors.append(f'{self.where}, column "{column}": {message}' if column else f"{self.where}: {message}")


def records_from(tables: list[Table], mappings: list[Mapping]) -> list[Record]:
    """One record per action row of each plan, a blank outcome cell filled from the one above."""
    records = []
    for mapping in mappings:
        plan = mapping.plan(tables)
        columns: dict[str, str] = {}
        for c, (name, header) in enumerate(zip(mapping.columns, plan.headers, strict=False), start=1):
            if name:
                header = header or f"column {c}"
                columns[name] = f"{columns[name]} / {header}" if name in columns else header
        above = ""
        for table, number, row in plan.rows(tables):
            values: dict[str, str] = {}
            for (text, continued), name in zip(row, mapping.columns, strict=False):
                if not name:
                    continue
                if name == "action" and continued:  # an action merged down is one action
                    text = ""
                values[name] = values.get(name, "") + ("\n" if values.get(name) and text else "") + text.strip()
            if not any(values.values()):
                continue
            if "outcome" in values:
                above = values["outcome"] = values["outcome"] or above
            record = Record(table, number, values, columns)
            if values.get("action"):
                records.append(record)
            elif any(values.get(n) for n in ("lead_teams", "lead_officer", "timescale", "reference")):
                record.problem("action", "the action is blank. Write the action in this row, or delete the row.")
                records.append(record)
    return records


def load_plan(
    strategy: Strategy,
    tables: list[Table],
    mappings: list[Mapping],
    *,
    user,
    save: bool,
    outcome: Outcome | str | None = None,
) -> list[Record]:
    """Load the mapped rows into the strategy, as a planner; every record comes back as it
    will be saved, with its errors.

    ``outcome`` is the outcome of rows with none (a plan with no outcome column): one of the
    strategy's, or the title of a new one. All in one transaction, kept only when ``save``
    is True and no record has an error.
    """
    planner_required(user, "import a plan")
    records = records_from(tables, mappings)
    with transaction.atomic():
        _Loader(strategy, user, outcome, records).load(records)
        if not save or any(record.errors for record in records):
            transaction.set_rollback(True)
        data_version.changed()  # nothing if rolled back (a preview)
    return records


class _Loader:
    def __init__(self, strategy: Strategy, user, fallback: Outcome | str | None, records: list[Record]):
        self.strategy, self.user, self.fallback = strategy, user, fallback
        self.outcomes = {o.title.casefold(): o for o in strategy.outcomes.all()}
        self.outcome_numbers = {o.number: o for o in self.outcomes.values()}
        self.teams = {team.name.casefold(): team for team in Team.objects.all()}
        self.accounts = _accounts(records)
        self.made: set[object] = set()  # outcomes and recommendations this load makes
        self.recommendations: dict[tuple[int, str], Recommendation] = {}
        self.measured: dict[tuple[int, str], list[SuccessMeasure]] = {}
        self.references: dict[str, str] = {}
        self.counters: dict[object, int] = {}

    def load(self, records: list[Record]) -> None:
        # Any error rolls the whole load back, so a record with errors saves no action and
        # what it did save (a new outcome) goes with the rest.
        for record in records:
            if record.errors:
                continue
            try:
                with transaction.atomic():
                    self.load_one(record)
            except DatabaseError as error:
                record.errors.append(f"{record.where}: it could not be saved ({error}). Try again, or load it by hand.")
            except _Invalid as invalid:
                for name, message in invalid.messages:
                    record.problem(name, message)

    def load_one(self, record: Record) -> None:
        values = record.values
        outcome = self.outcome(record)
        if outcome is None:
            return
        written_reference = joined(values.get("reference", ""))
        description, number = description_and_number(values["action"], reference=written_reference)
        recommendation = self.recommendation(outcome, record, description)
        if values.get("measure") and recommendation is not None:
            record.measures_above = (recommendation.pk, values["measure"]) in self.measured
            record.measures = self.measures(recommendation, values["measure"], values.get("indicator", ""))
        reference = written_reference or number or self.next_reference(outcome, recommendation)
        if reference in self.references:
            record.problem(
                "reference" if "reference" in values else "action",
                f"the reference {reference} is also the reference of {self.references[reference]}. "
                "Give each action its own number in the document.",
            )
        self.references.setdefault(reference, record.where)
        teams = self.lead_teams(values.get("lead_teams", ""), record)
        cost = read_cost(values.get("estimated_cost", ""))
        if cost.problem:
            record.problem("estimated_cost", f"{cost.problem}.")
        record.cost_note = cost.note
        if cost.notice:
            record.notices.append(f'Column "{record.columns.get("estimated_cost")}": {cost.notice}.')
        officer = officers_of(values.get("lead_officer", ""))
        record.officer_account = self.accounts.get(officer.casefold()) if officer else None
        notes = "\n".join(part for part in (values.get("notes", "").strip(), note_line(cost.note)) if part)
        self.counters[("order",)] = self.counters.get(("order",), 0) + 1
        action = Action(
            strategy=self.strategy,
            outcome=outcome,
            recommendation=recommendation,
            reference=reference,
            order=self.counters[("order",)],
            description=description,
            lead_officer=officer,
            lead_officer_user=record.officer_account,
            timescale=timescale_lines_joined(values.get("timescale", "")),
            estimated_cost=cost.amount,
            framework_link=joined(values.get("framework_link", "")),
            notes=notes,
        )
        record.action, record.teams = action, teams
        if record.errors:
            action.settle_dates()  # for the preview
            return
        try:
            services.action_save(action=action, user=self.user)
        except ValidationError as error:
            raise _Invalid(error, "action") from error
        action.lead_teams.set(teams)

    def outcome(self, record: Record) -> Outcome | None:
        title = title_of(record.values.get("outcome", ""))
        match = _NUMBERED_TITLE.match(title)
        number = int(match[1]) if match else None
        title = title[match.end() :] if match else title
        if not title and number is None:
            found = self.fallback_outcome(record)
        else:
            found = self.outcome_numbers.get(number) if number is not None else self.outcomes.get(title.casefold())
            if found is None:
                found = self.new_outcome(title, number)
        record.outcome_new = found is not None and found in self.made
        return found

    def fallback_outcome(self, record: Record) -> Outcome | None:
        if "outcome" not in record.values and isinstance(self.fallback, Outcome):
            return self.fallback
        if "outcome" not in record.values and isinstance(self.fallback, str) and self.fallback:
            return self.outcomes.get(self.fallback.casefold()) or self.new_outcome(self.fallback, None)
        if len(self.outcome_numbers) == 1:
            return next(iter(self.outcome_numbers.values()))
        if "outcome" in record.values:
            record.problem("outcome", "no outcome is named here or in a row above. Name the outcome in the document.")
        else:
            record.errors.append(
                f"{record.where}: the plan has no outcome column. Pick the outcome its actions load into, "
                "or name a new one, above the preview."
            )
        return None

    def new_outcome(self, title: str, number: int | None) -> Outcome:
        if not number or number in self.outcome_numbers:
            number = max(self.outcome_numbers, default=0) + 1
        made = Outcome(strategy=self.strategy, number=number, title=title or f"Outcome {number}")
        _validated(made, "outcome")
        made.save()
        self.made.add(made)
        self.outcomes[made.title.casefold()] = self.outcome_numbers[made.number] = made
        return made

    def recommendation(self, outcome: Outcome, record: Record, description: str) -> Recommendation | None:
        """The row's recommendation; where the plan has none but the row has measures, one made
        for the action from its words, so the measures belong to it."""
        title = title_of(record.values.get("recommendation", ""))
        if not title and "recommendation" not in record.values and record.values.get("measure"):
            title = shortened(description.replace("\n", " "), 2000)
        if not title:
            return None
        key = (outcome.pk, title.casefold())
        if key not in self.recommendations:
            existing = outcome.recommendations.filter(title__iexact=title).first()
            if existing is None:
                number = (max((r.number for r in outcome.recommendations.all()), default=0)) + 1
                rationale = record.values.get("rationale", "").strip()
                existing = Recommendation(outcome=outcome, number=number, title=title, rationale=rationale)
                _validated(existing, "recommendation")
                existing.save()
                self.made.add(existing)
            self.recommendations[key] = existing
        found = self.recommendations[key]
        record.recommendation_new = found in self.made
        return found

    def measures(self, recommendation: Recommendation, measure: str, indicator: str) -> list[SuccessMeasure]:
        """Each item of the measure cell its own measure; the evidence paired in order, the
        surplus with the last; once per recommendation and cell."""
        key = (recommendation.pk, measure)
        if key in self.measured:
            return self.measured[key]
        lines = [line.strip() for line in measure.split("\n") if line.strip()]
        if sum(1 for line in lines if ITEM.match(line)) >= 2:  # numbered items, perhaps over several lines
            texts = [ITEM.sub("", item, count=1) for item in item_lines(measure)]
        else:  # each paragraph a measure
            texts = [joined(line) for line in lines]
        evidence = [ITEM.sub("", line.strip(), count=1) for line in indicator.split("\n") if line.strip()]
        count = len(texts)
        paired = [[e] for e in evidence] if len(evidence) == count else [evidence] if count == 1 else None
        if paired is None:
            paired = [[e] for e in evidence[: count - 1]] + [evidence[count - 1 :]]
            paired += [[]] * (count - len(paired))
        number = max((m.number for m in recommendation.measures.all()), default=0)
        made = []
        for text, items in zip(texts, paired, strict=False):
            number += 1
            one = SuccessMeasure(recommendation=recommendation, number=number, measure=text, indicator="\n".join(items))
            _validated(one, "measure")
            one.save()
            made.append(one)
        self.measured[key] = made
        return made

    def next_reference(self, outcome: Outcome, recommendation: Recommendation | None) -> str:
        key = (outcome.number, recommendation.number if recommendation else None)
        self.counters[key] = self.counters.get(key, 0) + 1
        prefix = f"{outcome.number}.{recommendation.number}" if recommendation else f"{outcome.number}"
        reference = f"{prefix}.{self.counters[key]}"
        while reference in self.references or self.strategy.actions.filter(reference=reference).exists():
            self.counters[key] += 1
            reference = f"{prefix}.{self.counters[key]}"
        return reference

    def lead_teams(self, text: str, record: Record) -> list[Team]:
        names = self.team_names(text)
        missing = [name for name in names if name.casefold() not in self.teams]
        if missing:
            quoted = ", ".join(f'"{name}"' for name in missing)
            record.problem(
                "lead_teams",
                f"there is no lead team called {quoted}. Add the team in the admin first or correct the name "
                "in the document; if the column names people, map it to Lead officer.",
            )
        return [self.teams[name.casefold()] for name in names if name.casefold() in self.teams]

    def team_names(self, text: str) -> list[str]:
        """The team names of a lead-team cell: a line (or a part between ";") each; where
        that names a team the product does not know, the lines are tried joined, as a name
        wrapped over two lines is ("Organisational" / "Planning"), and a line holding several
        known names one after another ("Organisational Planning Corporate Comms Team") is
        read as them."""
        names = [ITEM.sub("", joined(name), count=1) for name in re.split(r"[\n;]", text) if joined(name)]
        if all(name.casefold() in self.teams for name in names):
            return names
        found: list[str] = []
        pending = ""
        for name in names:
            pending = f"{pending} {name}".strip()
            if pending.casefold() in self.teams:
                found.append(pending)
                pending = ""
            elif (several := self.known_run(pending)) is not None:
                found += several
                pending = ""
        return found if not pending else names

    def known_run(self, text: str) -> list[str] | None:
        """``text`` as known team names one after another (the longest first), or None."""
        words, names, start = text.split(), [], 0
        while start < len(words):
            for end in range(len(words), start, -1):
                candidate = " ".join(words[start:end])
                if candidate.casefold() in self.teams:
                    names.append(candidate)
                    start = end
                    break
            else:
                return None
        return names if len(names) > 1 else None


def _accounts(records: list[Record]) -> dict[str, Any]:
    """The accounts whose full names are the lead officers the records name, by name: one query."""
    names = {officers_of(record.values.get("lead_officer", "")).casefold() for record in records}
    names.discard("")
    if not names:
        return {}
    full_name = Lower(Concat("first_name", Value(" "), "last_name"))
    found = get_user_model().objects.filter(is_active=True).annotate(full_name=full_name).filter(full_name__in=names)
    by_name: dict[str, list] = {}
    for account in found:
        by_name.setdefault(account.full_name, []).append(account)
    return {name: accounts[0] for name, accounts in by_name.items() if len(accounts) == 1}  # never a guess


class _Invalid(Exception):
    """A record's model refused by full_clean, its messages as (field of the plan, message)."""

    def __init__(self, error: ValidationError, default: str):
        super().__init__(str(error))
        self.messages = []
        for name, errors in error.error_dict.items() if hasattr(error, "error_dict") else [("__all__", [error])]:
            plan_field = _SAVED_AS.get(name, default)
            for each in errors:
                self.messages.append((plan_field, _explained(each, plan_field)))


def _validated(instance, default: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise _Invalid(error, default) from error


def _explained(error: ValidationError, plan_field: str) -> str:
    """A model's message, said of the column, with what to do."""
    message = " ".join(error.messages)
    if error.code in ("max_length", "text_limit") or "characters" in message:
        what = FIELDS.get(plan_field, plan_field).split(" (")[0].lower()
        hint = "Shorten it in the document"
        if plan_field == "outcome":
            hint = (
                "An outcome is a short title. If this column holds measures of success or other sentences, "
                "map it to that field above; otherwise shorten it in the document"
            )
        return f"the {what} is too long: {message[0].lower()}{message[1:]} {hint}."
    return f"{message} Correct it in the document and preview again."
