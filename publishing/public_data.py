"""What the public reads of a quarter: the one place that decides each public field.

A published quarter shows the strategy, its outcomes and, for each action, its status, RAG
rating, due date, the quarter's progress commentary and its lead teams, with the quarter's
key messages and the trend of the quarters published. Nothing else leaves: never a request
for help to DMT, DMT's decisions, a reason for on hold or cancelled, next steps or evidence,
a person's name (lead officers, authors, the strategic lead), nor anything of a quarter not
published. `PUBLIC_ACTION_FIELDS` names each action's public fields once; the page, the
PDF, the CSV, the JSON and the Data Package's Table Schema all follow it.

`public_snapshot` reads the quarter as its DMT report does (`dashboard.report.report_build`:
the state as at the quarter's end, a closed quarter as recorded when it closed), so the open
data gives the same counts as the report. `open_data_files` turns a snapshot into the files
a reader downloads: CSV (formula-safe, as every export of the product), JSON, and a
Frictionless Data Package under the Open Government Licence v3.0.
"""

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dashboard.report import report_build
from dashboard.report_types import ReportAction
from outcomes.spreadsheets import csv_value
from reporting import selectors as action_selectors
from reporting.models import RAG, ReportingPeriod, Status
from reporting.words import NO_UPDATE, status_words

LICENCE_NAME = "OGL-UK-3.0"
LICENCE_TITLE = "Open Government Licence v3.0"
#: What a boolean field is written as in the CSV (and in the snapshot's rows).
YES, NO = "Yes", "No"
#: What separates the lead teams' names in one cell.
TEAM_SEPARATOR = "; "
#: The files of a published quarter's open data, by name.
CSV_NAME, JSON_NAME, PACKAGE_NAME = "actions.csv", "actions.json", "datapackage.json"


@dataclass(frozen=True)
class PublicField:
    """One public field of an action: its name (the CSV's column, the JSON's key), its title
    for a reader, its Table Schema type, what it means, and any Table Schema constraints."""

    name: str
    title: str
    type: str
    description: str
    constraints: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def schema(self) -> dict:
        """The field as a Table Schema field descriptor."""
        descriptor: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "type": self.type,
            "description": self.description,
            **self.extra,
        }
        if self.constraints:
            descriptor["constraints"] = dict(self.constraints)
        return descriptor


#: The words a status is published as: each status, and "No update".
STATUS_WORDS = (*(label for _value, label in Status.choices), NO_UPDATE)
#: The words a RAG rating is published as, in the order the report counts them.
RAG_ORDER = (RAG.GREEN, RAG.AMBER, RAG.RED)
RAG_WORDS = tuple(rag.word for rag in RAG_ORDER)

PUBLIC_ACTION_FIELDS: tuple[PublicField, ...] = (
    PublicField(
        "reference", "Reference", "string", 'The action\'s reference in the strategy, e.g. "2.3.1".', {"required": True}
    ),
    PublicField(
        "outcome",
        "Outcome",
        "string",
        "The number of the outcome the action was reported under in the quarter.",
        {"required": True},
    ),
    PublicField("description", "Action", "string", "What the strategy says will be done.", {"required": True}),
    PublicField(
        "lead_teams",
        "Lead teams",
        "string",
        f'The teams or roles leading the action, separated by "{TEAM_SEPARATOR.strip()} ". No person is named.',
    ),
    PublicField("timescale", "Timescale", "string", "When the action is due, as the strategy words it."),
    PublicField(
        "due", "Due date", "date", "The date the action is due by, where its timescale gives one; empty otherwise."
    ),
    PublicField(
        "ongoing",
        "Ongoing",
        "boolean",
        f'"{YES}" when the action is ongoing or recurring: such an action is never overdue.',
        {"required": True},
        {"trueValues": [YES], "falseValues": [NO]},
    ),
    PublicField(
        "status",
        "Status",
        "string",
        f'The action\'s status at the end of the quarter. "{NO_UPDATE}": no progress was reported for it in the '
        "quarter; an action completed or cancelled in an earlier quarter stays so.",
        {"required": True, "enum": list(STATUS_WORDS)},
    ),
    PublicField(
        "rag",
        "RAG rating",
        "string",
        "Delivery confidence at the end of the quarter: Green (on track), Amber (at risk) or Red (off track). "
        "Empty for an action that is complete, cancelled, on hold without a rating, or has no update.",
        {"enum": list(RAG_WORDS)},
    ),
    PublicField(
        "overdue",
        "Overdue",
        "boolean",
        f'"{YES}" when the action was due by the end of the quarter and was neither complete nor cancelled.',
        {"required": True},
        {"trueValues": [YES], "falseValues": [NO]},
    ),
    PublicField(
        "commentary",
        "Progress this quarter",
        "string",
        "What the lead team reported of the action's progress in the quarter; empty when there is none or it "
        "is withheld.",
    ),
    PublicField(
        "withheld_reason",
        "Why the commentary is withheld",
        "string",
        "Empty unless the council withheld the quarter's commentary, then why (for example, personal information).",
    ),
)
FIELD_NAMES = tuple(f.name for f in PUBLIC_ACTION_FIELDS)


# --- The snapshot -------------------------------------------------------------------------------


def public_snapshot(
    period: ReportingPeriod, *, withheld: Mapping[int, str], trend_periods: Sequence[ReportingPeriod]
) -> dict:
    """Everything the public reads of `period`, as plain JSON-ready values: the strategy, the
    quarter, its key messages, its counts, its outcomes with their actions' public fields
    (`PUBLIC_ACTION_FIELDS`), and the RAG counts of `trend_periods` (the quarters published)
    and this one.

    `withheld` maps an action's id to why its commentary is withheld: the commentary is left
    out and the reason given in its place. Read as the quarter's DMT report reads it
    (`report_build`): a fixed number of queries whatever the number of actions.
    """
    strategy = period.strategy
    periods = list(action_selectors.periods_for_strategy(strategy))
    report = report_build(strategy, period, periods)
    _check_withheld(withheld, report.actions, period)

    rows_by_outcome: dict[int, list[dict[str, str]]] = {outcome.outcome.pk: [] for outcome in report.outcomes}
    for action in report.actions:
        rows_by_outcome[action.outcome_id].append(_action_row(action, withheld.get(action.id, "")))

    published = {p.pk for p in trend_periods} | {period.pk}
    statuses = Counter(status_words(action.status_as_at) for action in report.actions)
    return {
        "strategy": {
            "slug": strategy.slug,
            "title": strategy.title,
            "organisation": strategy.organisation,
            "department": strategy.department,
            "period_label": strategy.period_label,
        },
        "quarter": {
            "id": period.pk,
            "label": period.label,
            "year": period.year,
            "number": period.number,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "key_messages": paragraphs(period.key_messages),
        "summary": {
            "actions": report.counts.total,
            "by_status": [[word, statuses[word]] for word in STATUS_WORDS],
            "by_rag": _by_rag(report.counts),
            "overdue": report.counts.overdue,
        },
        "outcomes": [
            {
                "reference": str(row.outcome.number),
                "title": row.outcome.title,
                "actions": rows_by_outcome[row.outcome.pk],
            }
            for row in report.outcomes
        ],
        "trend": [
            {"quarter": row.period.label, "by_rag": _by_rag(row.counts)}
            for row in report.trend
            if row.period.pk in published
        ],
    }


def paragraphs(text: str) -> list[str]:
    """Text split into its paragraphs (parted by blank lines), each trimmed; none if blank."""
    return [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]


def action_rows(snapshot: Mapping) -> list[dict[str, str]]:
    """The snapshot's action rows, outcome by outcome, in document order."""
    return [row for outcome in snapshot["outcomes"] for row in outcome["actions"]]


def _action_row(action: ReportAction, withheld_reason: str) -> dict[str, str]:
    """One action's public fields, in `PUBLIC_ACTION_FIELDS` order, as text."""
    row = {
        "reference": action.reference,
        "outcome": str(action.outcome_number),
        "description": action.description,
        "lead_teams": TEAM_SEPARATOR.join(action.lead_team_names),
        "timescale": action.timescale,
        "due": action.due_date.isoformat() if action.due_date else "",
        "ongoing": YES if action.is_ongoing else NO,
        "status": status_words(action.status_as_at),
        "rag": RAG(action.rag_as_at).word if action.rag_as_at else "",
        "overdue": YES if action.is_overdue else NO,
        "commentary": "" if withheld_reason else (action.period_progress or ""),
        "withheld_reason": withheld_reason,
    }
    return {name: row[name] for name in FIELD_NAMES}


def _by_rag(counts) -> list[list]:
    """[[word, count], ...] for Green, Amber and Red: the report's on track, at risk and off track."""
    numbers = {RAG.GREEN: counts.on_track, RAG.AMBER: counts.at_risk, RAG.RED: counts.off_track}
    return [[rag.word, numbers[rag]] for rag in RAG_ORDER]


def _check_withheld(withheld: Mapping[int, str], actions: list[ReportAction], period: ReportingPeriod) -> None:
    """Refuse a withholding without a reason, or of an action not in the quarter's report."""
    unknown = sorted(set(withheld) - {action.id for action in actions})
    if unknown:
        raise ValueError(
            f"Commentary withheld for actions not in {period}'s report (ids {', '.join(map(str, unknown))})."
        )
    blank = sorted(action_id for action_id, reason in withheld.items() if not reason.strip())
    if blank:
        raise ValueError(f"A withheld commentary needs a reason (action ids {', '.join(map(str, blank))}).")


# --- The open data files ------------------------------------------------------------------------


def table_schema() -> dict:
    """The Table Schema of one action row: the CSV's columns and the JSON's keys."""
    return {
        "fields": [f.schema() for f in PUBLIC_ACTION_FIELDS],
        "primaryKey": ["reference"],
        "missingValues": [""],
    }


def open_data_files(snapshot: Mapping, *, version: int, published_at: datetime, licence_url: str) -> dict[str, bytes]:
    """The published quarter's open data: {"actions.csv", "actions.json", "datapackage.json"}.

    The CSV is UTF-8, opening with a byte order mark so that Excel reads it as UTF-8, with
    one header row of the field names; text a spreadsheet program could
    take for a formula is written behind an apostrophe (`outcomes.spreadsheets.csv_value`,
    the rule of every export). The JSON is the same rows, typed: booleans as true/false and
    an empty date as null. The Data Package describes both with one Table Schema, names the
    licence, and gives the CSV's size and SHA-256 hash. The same arguments give the same bytes.
    """
    rows = action_rows(snapshot)
    files = {CSV_NAME: _csv(rows), JSON_NAME: _json(rows)}
    files[PACKAGE_NAME] = _datapackage(
        snapshot, files, version=version, published_at=published_at, licence_url=licence_url
    )
    return files


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    for row in rows:
        writer.writerow([csv_value(row[name]) for name in FIELD_NAMES])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _typed(public_field: PublicField, value: str):
    """A row's text value as JSON: a boolean as true/false, an empty date as null."""
    if public_field.type == "boolean":
        return value == YES
    if public_field.type == "date":
        return value or None
    return value


def _json(rows: list[dict[str, str]]) -> bytes:
    typed = [{f.name: _typed(f, row[f.name]) for f in PUBLIC_ACTION_FIELDS} for row in rows]
    return (json.dumps(typed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _datapackage(
    snapshot: Mapping, files: Mapping[str, bytes], *, version: int, published_at: datetime, licence_url: str
) -> bytes:
    strategy, quarter = snapshot["strategy"], snapshot["quarter"]
    name = f"{strategy['slug']}-{quarter['year']}-q{quarter['number']}".lower()
    where = ", ".join(part for part in (strategy["organisation"], strategy["department"]) if part)
    schema = table_schema()

    def resource(file_name: str, resource_name: str, file_format: str, mediatype: str) -> dict:
        return {
            "name": resource_name,
            "path": file_name,
            "profile": "tabular-data-resource",
            "format": file_format,
            "mediatype": mediatype,
            "encoding": "utf-8",
            "schema": schema,
        }

    # The CSV's size and hash, which the frictionless tools check on reading it (they cannot
    # count a JSON resource's bytes, so it has none).
    csv_content = files[CSV_NAME]
    csv_resource = {
        **resource(CSV_NAME, "actions", "csv", "text/csv"),
        "bytes": len(csv_content),
        "hash": f"sha256:{hashlib.sha256(csv_content).hexdigest()}",
    }

    package = {
        "profile": "tabular-data-package",
        "name": name,
        "title": f"{strategy['title']}: progress of its actions, {quarter['label']}",
        "description": (
            f"The status, RAG rating, due date, progress commentary and lead teams of each action of "
            f"{strategy['title']} ({where}) at the end of {quarter['label']} ({quarter['start']} to {quarter['end']}), "
            f"as published. Version {version}."
        ),
        "version": f"{version}.0.0",
        "created": published_at.isoformat(),
        "licenses": [{"name": LICENCE_NAME, "path": licence_url, "title": LICENCE_TITLE}],
        "contributors": [{"title": strategy["organisation"], "role": "publisher"}],
        "keywords": ["workforce strategy", "performance", "quarterly report", quarter["label"]],
        "resources": [
            csv_resource,
            resource(JSON_NAME, "actions-json", "json", "application/json"),
        ],
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- The documentation --------------------------------------------------------------------------


def fields_table() -> str:
    """The Markdown table of `PUBLIC_ACTION_FIELDS` that docs/open-data.md holds (a test keeps
    the two the same): each field's name, title, type and meaning."""
    lines = ["| field | title | type | what it means |", "| --- | --- | --- | --- |"]
    for public_field in PUBLIC_ACTION_FIELDS:
        kind = public_field.type
        if public_field.type == "boolean":
            kind = f"boolean ({YES} or {NO})"
        elif public_field.type == "date":
            kind = "date (YYYY-MM-DD)"
        elif "enum" in public_field.constraints:
            kind = f"text: one of {', '.join(public_field.constraints['enum'])}"
        else:
            kind = "text"
        description = public_field.description.replace("|", "\\|")
        lines.append(f"| `{public_field.name}` | {public_field.title} | {kind} | {description} |")
    return "\n".join(lines) + "\n"
