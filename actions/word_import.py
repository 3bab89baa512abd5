"""A strategy's plan loaded from the table(s) of its Word document.

Councils write action plans as tables in Word. ``actions.word_tables.read_tables`` reads
an uploaded .docx (its size and archive checked before it is parsed) into rows of cell text; the planner
picks the tables and maps each column to a field (``suggest_field`` reads the header's
words); ``load_plan`` turns the rows into outcomes, recommendations, measures of success
and actions, all inside one transaction. It returns every record with its errors; unless
asked to save and nothing is wrong, the transaction is rolled back, so a preview saves
nothing and one bad row blocks the whole load.

Merged cells: a cell merged down several rows gives its text to each row (an action cell
merged down is one action), and an outcome cell left blank is the outcome above. A cell
merged across columns counts once, in its first column. An outcome is found by its number
("2. …", "Outcome 2:") where the cell gives one, else by its title. Line breaks inside a cell
are joined into one line, except where they separate numbered or bulleted items: several
items in the action cell are several actions, and several in the measure cell are
several measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Field

from actions import services
from actions.models import Action
from actions.word_tables import Table
from outcomes.models import Outcome, Recommendation, Strategy, SuccessMeasure
from strategy_tracker import data_version
from workforce.models import Team
from workforce.roles import planner_required

#: The fields a column can be mapped to, in the order the form offers them.
FIELDS = {
    "": "(not loaded)",
    "outcome": "Outcome (We want…)",
    "recommendation": "Recommendation (We will…)",
    "rationale": "Rationale (Why we will…)",
    "reference": "Reference",
    "action": "Action (How we will…)",
    "lead_teams": "Lead team(s)",
    "lead_officer": "Lead officer",
    "timescale": "Timescale",
    "measure": "Measure of success",
    "indicator": "Indicator or evidence",
    "estimated_cost": "Estimated cost",
    "framework_link": "Framework link",
    "notes": "Notes",
}
#: Header words and the field they suggest; the first that the header contains wins.
_SUGGESTIONS = [
    ("why we will", "rationale"),
    ("how we will know", "measure"),
    ("how we know", "measure"),
    ("how we will", "action"),
    ("lead officer", "lead_officer"),
    ("officer", "lead_officer"),
    ("who will", "lead_teams"),
    ("lead", "lead_teams"),
    ("responsib", "lead_teams"),
    ("when", "timescale"),
    ("timescale", "timescale"),
    ("deadline", "timescale"),
    ("indicator", "indicator"),
    ("evidence", "indicator"),
    ("measure", "measure"),
    ("we will", "recommendation"),
    ("recommendation", "recommendation"),
    ("objective", "recommendation"),
    ("we want", "outcome"),
    ("theme", "outcome"),
    ("priority", "outcome"),
    ("outcome", "outcome"),
    ("action", "action"),
    ("cost", "estimated_cost"),
    ("resource", "estimated_cost"),
    ("budget", "estimated_cost"),
    ("links to", "framework_link"),
    ("framework", "framework_link"),
    ("ref", "reference"),
    ("no.", "reference"),
    ("note", "notes"),
    ("comment", "notes"),
]
_CARRIED_DOWN = {"outcome"}  # a blank outcome cell is the one above; other blanks are blank
_ITEM = re.compile(r"^\s*(?:(?P<number>\d+(?:\.\d+)*)[.)]?|[a-z][.)]|[ivx]+[.)]|[•\u2022\u25cf\u25aa*\-–])\s+")
_NUMBERED_TITLE = re.compile(r"^\s*(?:outcome|theme|priority)?\s*(\d{1,2})\s*[.:)\-–]\s*", re.IGNORECASE)
_AMOUNT = re.compile(r"£?\s*(\d[\d,]*(?:\.\d{1,2})?)\s*(k)?", re.IGNORECASE)
_NO_COST = {"", "-", "–", "nil", "none", "n/a", "na", "£0", "0"}


def suggest_field(header: str) -> str:
    """The field a column's header words suggest, or "" when they suggest none."""
    words = re.sub(r"\s+", " ", header).strip().lower()
    for stem, name in _SUGGESTIONS:
        if stem in words:
            return name
    return ""


@dataclass
class Record:
    """One action to load, where it came from, and what is wrong with it."""

    table: int
    row: int
    values: dict[str, str]
    action: Action | None = None
    teams: list[Team] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"Table {self.table}, row {self.row}"


@dataclass
class Mapping:
    """A picked table: its number (from 1), header rows and each column's field."""

    table: int
    header_rows: int
    columns: list[str]


def records_from(tables: list[Table], mappings: list[Mapping]) -> list[Record]:
    """One record per action: carried-down cells filled in, several numbered items split."""
    records = []
    for mapping in mappings:
        above: dict[str, str] = {}
        for number, row in enumerate(tables[mapping.table - 1], start=1):
            if number <= mapping.header_rows:
                continue
            values: dict[str, str] = {}
            for (text, continued), name in zip(row, mapping.columns, strict=False):
                if not name:
                    continue
                if name == "action" and continued:  # an action merged down is one action
                    text = ""
                values[name] = values.get(name, "") + ("\n" if name in values and text else "") + text
            if not any(values.values()):
                continue
            for name in _CARRIED_DOWN:
                if values.get(name):
                    above[name] = values[name]
                elif name in above:
                    values[name] = above[name]
            if not values.get("action"):
                if any(values.get(n) for n in ("lead_teams", "lead_officer", "timescale", "reference")):
                    records.append(Record(mapping.table, number, values, errors=["The action is blank."]))
                continue
            items = _items(values["action"])
            for index, item in enumerate(items, start=1):
                item_values = {**values, "action": item[1]}
                if item[0]:
                    item_values["reference"] = item[0]
                elif len(items) > 1 and values.get("reference"):
                    item_values["reference"] = f"{values['reference']}.{index}"
                records.append(Record(mapping.table, number, item_values))
    return records


def _items(text: str) -> list[tuple[str, str]]:
    """A cell's items as (number, text): one item unless two or more lines start as items."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    if len(starts) < 2:
        match = _ITEM.match(lines[0]) if lines else None
        number = match["number"] if match and match["number"] and "." in match["number"] else ""
        return [(number, _joined(_ITEM.sub("", " ".join(lines), count=1) if number else " ".join(lines)))]
    items, groups = [], [lines[: starts[0]]] if starts[0] else []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        groups.append(lines[start:end])
    for group in groups:
        match = _ITEM.match(group[0])
        number = match["number"] if match and match["number"] and "." in match["number"] else ""
        items.append((number, _joined(_ITEM.sub("", " ".join(group), count=1))))
    return items


def _joined(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_plan(strategy: Strategy, tables: list[Table], mappings: list[Mapping], *, user, save: bool) -> list[Record]:
    """Load the mapped rows into the strategy, as a planner; every record comes back with its errors.

    All in one transaction: it is kept only when ``save`` is True and no record has an error.
    """
    planner_required(user, "import a plan")
    records = records_from(tables, mappings)
    with transaction.atomic():
        _Loader(strategy, user).load(records)
        if not save or any(record.errors for record in records):
            transaction.set_rollback(True)
        data_version.changed()  # nothing if rolled back (a preview)
    return records


class _Loader:
    def __init__(self, strategy: Strategy, user):
        self.strategy, self.user = strategy, user
        self.outcomes = {o.title.casefold(): o for o in strategy.outcomes.all()}
        self.outcome_numbers = {o.number: o for o in self.outcomes.values()}
        self.teams = {team.name.casefold(): team for team in Team.objects.all()}
        self.recommendations: dict[tuple[int, str], Recommendation] = {}
        self.measured: set[tuple[int, str]] = set()
        self.references: dict[str, str] = {}
        self.counters: dict[object, int] = {}

    def load(self, records: list[Record]) -> None:
        # Any error rolls the whole load back, so a record with errors saves no action and
        # what it did save (a new outcome) goes with the rest.
        for record in records:
            try:
                with transaction.atomic():
                    self.load_one(record)
            except DatabaseError as error:
                record.errors.append(f"It could not be saved: {error}")
            except ValidationError as error:
                record.errors += [
                    f"{_label(name)}: {message}" if name != "__all__" else message
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]

    def load_one(self, record: Record) -> None:
        values = record.values
        outcome = self.outcome(values.get("outcome", ""), record)
        if outcome is None:
            return
        recommendation = self.recommendation(outcome, values)
        if values.get("measure") and recommendation is None:
            record.errors.append("A measure of success needs a recommendation: map the recommendation column.")
        elif values.get("measure") and recommendation is not None:
            self.measures(recommendation, values["measure"], values.get("indicator", ""))
        reference = values.get("reference", "").strip() or self.next_reference(outcome, recommendation)
        if reference in self.references:
            record.errors.append(f"Reference {reference} is also the reference of {self.references[reference]}.")
        self.references.setdefault(reference, record.where)
        teams = self.lead_teams(values.get("lead_teams", ""), record)
        cost, cost_note = self.cost(values.get("estimated_cost", ""), record)
        notes = "\n".join(part for part in (values.get("notes", "").strip(), cost_note) if part)
        self.counters[("order",)] = self.counters.get(("order",), 0) + 1
        action = Action(
            strategy=self.strategy,
            outcome=outcome,
            recommendation=recommendation,
            reference=reference,
            order=self.counters[("order",)],
            description=values["action"],
            lead_officer=_joined(values.get("lead_officer", "")),
            timescale=_joined(values.get("timescale", "")),
            estimated_cost=cost,
            framework_link=_joined(values.get("framework_link", "")),
            notes=notes,
        )
        record.action, record.teams = action, teams
        if record.errors:
            action.settle_dates()  # for the preview
            return
        services.action_save(action=action, user=self.user)
        action.lead_teams.set(teams)

    def outcome(self, text: str, record: Record) -> Outcome | None:
        title = _joined(text)
        match = _NUMBERED_TITLE.match(title)
        number = int(match[1]) if match else None
        title = title[match.end() :] if match else title
        if not title and number is None:
            if len(self.outcome_numbers) == 1:
                return next(iter(self.outcome_numbers.values()))
            record.errors.append("No outcome: map the column that names the outcome (We want…).")
            return None
        found = self.outcome_numbers.get(number) if number is not None else self.outcomes.get(title.casefold())
        if found is None:
            number = (
                number if number and number not in self.outcome_numbers else max(self.outcome_numbers, default=0) + 1
            )
            found = Outcome(strategy=self.strategy, number=number, title=title or f"Outcome {number}")
            found.full_clean()
            found.save()
            self.outcomes[found.title.casefold()] = self.outcome_numbers[found.number] = found
        return found

    def recommendation(self, outcome: Outcome, values: dict[str, str]) -> Recommendation | None:
        title = _joined(values.get("recommendation", ""))
        if not title:
            return None
        key = (outcome.pk, title.casefold())
        if key not in self.recommendations:
            existing = outcome.recommendations.filter(title__iexact=title).first()
            if existing is None:
                number = (max((r.number for r in outcome.recommendations.all()), default=0)) + 1
                existing = Recommendation(
                    outcome=outcome, number=number, title=title, rationale=values.get("rationale", "").strip()
                )
                existing.full_clean()
                existing.save()
            self.recommendations[key] = existing
        return self.recommendations[key]

    def measures(self, recommendation: Recommendation, measure: str, indicator: str) -> None:
        """Each item of the measure cell its own measure; the evidence paired in order, the
        surplus with the last; once per recommendation and cell."""
        key = (recommendation.pk, measure)
        if key in self.measured:
            return
        self.measured.add(key)
        lines = [line.strip() for line in measure.split("\n") if line.strip()]
        if sum(1 for line in lines if _ITEM.match(line)) >= 2:  # numbered items, perhaps over several lines
            measures = [text for _, text in _items(measure) if text]
        else:  # each paragraph a measure
            measures = [_joined(line) for line in lines]
        evidence = [line.strip() for line in indicator.split("\n") if line.strip()]
        evidence = [_ITEM.sub("", line, count=1) for line in evidence]
        count = len(measures)
        paired = [[e] for e in evidence] if len(evidence) == count else [evidence] if count == 1 else None
        if paired is None:
            paired = [[e] for e in evidence[: count - 1]] + [evidence[count - 1 :]]
            paired += [[]] * (count - len(paired))
        number = max((m.number for m in recommendation.measures.all()), default=0)
        for text, items in zip(measures, paired, strict=False):
            number += 1
            made = SuccessMeasure(
                recommendation=recommendation, number=number, measure=text, indicator="\n".join(items)
            )
            made.full_clean()
            made.save()

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
        names = [_joined(name) for name in re.split(r"[\n;]", text) if _joined(name)]
        names = [_ITEM.sub("", name, count=1) for name in names]
        missing = [name for name in names if name.casefold() not in self.teams]
        if missing:
            quoted = ", ".join(f'"{name}"' for name in missing)
            record.errors.append(
                f"There is no lead team called {quoted}. Add the team in the admin first, correct the name, "
                "or map the column to Lead officer."
            )
        return [self.teams[name.casefold()] for name in names if name.casefold() in self.teams]

    def cost(self, text: str, record: Record) -> tuple[Decimal | None, str]:
        """An amount ("£1,500", "2k") as the cost; other words are kept in the notes."""
        text = _joined(text)
        if text.casefold() in _NO_COST:
            return None, ""
        if text.startswith("-") or text.startswith("£-"):
            record.errors.append(f'The estimated cost "{text}" is negative.')
            return None, ""
        match = _AMOUNT.fullmatch(text)
        if match is None:
            return None, f"Resources: {text}"
        try:
            amount = Decimal(match[1].replace(",", ""))
        except InvalidOperation:
            return None, f"Resources: {text}"
        return (amount * 1000 if match[2] else amount), ""


def _label(name: str) -> str:
    try:
        model_field = Action._meta.get_field(name)
        return str(model_field.verbose_name).capitalize() if isinstance(model_field, Field) else name
    except Exception:  # not a field of an action
        return name
