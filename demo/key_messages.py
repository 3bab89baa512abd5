"""The demo's key messages for the quarters it loads closed, as a planner would have written
them for DMT: how many actions were complete and on track, and which were off track. Counted
from the states recorded at the close, as the report counts them (dashboard.counting), so the
words and the report's key figures agree. A real quarter's are written by a planner while it is
open (reporting.services.key_messages_set); the demo loads its quarters closed, so it writes
them straight to the quarter, as it writes their updates.
"""

from dashboard.counting import HEADLINE, Counts, State
from reporting import selectors
from reporting.models import RecordedState, ReportingPeriod

# The most off-track actions named; the rest are counted (the report lists them all).
LISTED = 8
OFF_TRACK = {key: filters for key, _label, filters in HEADLINE}["off_track"]


def _were(number: int) -> str:
    return "was" if number == 1 else "were"


def key_messages_of(period: ReportingPeriod) -> str:
    """What the demo's planner would have written of a closed quarter, from its recorded states."""
    recorded = list(
        RecordedState.objects.filter(period=period)
        .order_by("action__order", "action__reference", "action_id")
        .values_list("status", "rag", "is_overdue", "action__reference")
    )
    states = [(State(status, rag, is_overdue), reference) for status, rag, is_overdue, reference in recorded]
    counts = Counts.of_tallies((state, 1) for state, _reference in states)
    if not counts.total:
        return ""
    off_track = [
        reference
        for state, reference in states
        if all(selectors.state_matches(state, name, value) for name, value in OFF_TRACK.items())
    ]
    said = (
        f"By the end of {period}, {counts.complete} of the {counts.total} actions {_were(counts.complete)} "
        f"complete and {counts.on_track} {_were(counts.on_track)} on track"
    )
    others = [f"{counts.at_risk} {_were(counts.at_risk)} at risk"] if counts.at_risk else []
    if off_track:
        listed = ", ".join(off_track[:LISTED])
        if len(off_track) > LISTED:
            listed += f" and {len(off_track) - LISTED} more"
        others.append(f"{len(off_track)} {_were(len(off_track))} off track ({listed})")
    said += ("; " + " and ".join(others) + ".") if others else "."
    if off_track:
        return f"{said} DMT is asked to note the recovery plans for the actions off track."
    return f"{said} None was off track."


def key_messages_write(period: ReportingPeriod) -> None:
    """Write `key_messages_of` to a closed quarter the demo has just filled."""
    ReportingPeriod.objects.filter(pk=period.pk).update(key_messages=key_messages_of(period))
