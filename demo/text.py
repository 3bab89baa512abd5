"""What the demo progress says: sentences by subject, RAG movements and workforce indicators.

Kept apart from `demo.progress`, which decides when each thing is said.
"""

from decimal import Decimal

from reporting.models import RAG

# How delivery confidence moves from one quarter to the next (green, amber, red). Left
# alone it settles near 73% green, 20% amber and 7% red.
RAG_MOVES = {
    RAG.GREEN: (0.85, 0.12, 0.03),
    RAG.AMBER: (0.45, 0.42, 0.13),
    RAG.RED: (0.25, 0.45, 0.30),
}


# What managers write, by the subject of the action (found from words in its description).
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "engagement": {
        "progress": (
            "Workforce Engagement Plan drafted and shared with the Principal Social Worker and Heads of Service.",
            "Key messages for the quarter agreed with DMT and cascaded through team meetings.",
            "Engagement sessions held in three localities; around 120 staff attended.",
        ),
        "next": (
            "Finalise the Workforce Engagement Plan and take it to DMT for sign-off.",
            "Run the next round of engagement sessions and collate staff feedback.",
        ),
    },
    "intranet": {
        "progress": (
            "Organisational Planning represented on the intranet redevelopment group; department needs submitted.",
            "Draft intranet pages for the department written and reviewed by the Corporate Comms Team.",
        ),
        "next": (
            "Test the new intranet pages with a group of frontline staff.",
            "Agree the launch date for the department's pages with the Corporate Comms Team.",
        ),
    },
    "training": {
        "progress": (
            "Training needs analysis completed for frontline teams; the Department Training Plan updated.",
            "Mandatory training completion reviewed with team managers; reminders sent to those overdue.",
            "Two cohorts completed the new supervision skills course.",
        ),
        "next": (
            "Book next quarter's courses and publish them on the learning portal.",
            "Report training completion rates to DMT.",
        ),
    },
    "recruitment": {
        "progress": (
            "Recruitment campaign for children's social workers launched with the corporate recruitment team.",
            "Department needs fed into the consultation on the Corporate Recruitment and Retention Strategy.",
            "Exit interview findings analysed; themes shared with Heads of Service.",
        ),
        "next": (
            "Review the response to the campaign and shortlist applicants.",
            "Agree a retention offer for hard-to-fill posts with Strategic HR.",
        ),
    },
    "supervision": {
        "progress": (
            "Supervision audits completed in two localities; findings shared with team managers.",
            "Supervision policy refreshed and checked against the Quality Assurance Framework.",
        ),
        "next": (
            "Complete the remaining supervision audits and report the themes to DMT.",
            "Follow up the audit actions with the team managers concerned.",
        ),
    },
    "healthcheck": {
        "progress": (
            "Staff Healthcheck survey issued; response rate 58% so far.",
            "Staff Healthcheck results analysed by the Principal Social Worker and shared with DMT.",
        ),
        "next": (
            "Publish 'you said, we did' feedback on the Staff Healthcheck.",
            "Agree an action plan from the Healthcheck findings with Heads of Service.",
        ),
    },
    "general": {
        "progress": (
            "On track: the lead team met this quarter and agreed the approach.",
            "Scoping completed and a project plan agreed with the lead team.",
            "Progress reported to the Workforce Strategy Group.",
        ),
        "next": (
            "Continue delivery against the project plan.",
            "Report progress to the Workforce Strategy Group next quarter.",
        ),
    },
}
TOPIC_WORDS = (
    ("healthcheck", ("healthcheck", "survey")),
    ("intranet", ("intranet",)),
    ("engagement", ("engagement", "communicat", "messages")),
    ("supervision", ("supervision", "audit")),
    ("recruitment", ("recruit", "retention", "retain")),
    ("training", ("training", "learning", "development", "induction")),
)
AMBER = (
    "Slower than planned: the lead team's time has gone on preparing for the Ofsted inspection.",
    "Some slippage while the corporate restructure is agreed; a revised plan is in place.",
    "Delayed by vacancies in the lead team; partly recovered this quarter.",
)
RED = (
    "Stalled: no capacity in the lead team this quarter, and the timescale will be missed.",
    "Cannot progress: it depends on the corporate intranet project, which has been postponed.",
)
HELP_NEEDED = (
    "DMT to agree additional capacity to complete this action.",
    "DMT to agree a revised timescale and confirm the priority of this action.",
    "DMT to agree to raise the dependency with the corporate programme board.",
)
COMPLETE = (
    "Action complete and signed off by DMT.",
    "Complete; the outcome was reported to the Workforce Strategy Group.",
    "Complete: the work is now part of the lead team's business as usual.",
)
EVIDENCE = (
    "Report to DMT",
    "Staff Healthcheck results",
    "Training records from the learning portal",
    "Pages live on the intranet",
    "Supervision audit report",
)
NOT_STARTED = "Not due to start yet; the lead team is confirmed."
NOT_STARTED_LATE = "Start delayed: the lead team has not yet had capacity to begin this work."
NOT_STARTED_NEXT = "Agree the start date and the approach with the lead team."
ON_HOLD = "No work this quarter while the action is on hold."
HOLD_REASONS = (
    "Paused while the corporate restructure of HR services is agreed.",
    "On hold until the departmental budget review reports.",
    "Paused at DMT's request until the new intranet is launched.",
)
CANCELLED = "Cancelled or superseded; no further updates."
CANCEL_REASONS = (
    "Superseded by the Corporate Recruitment and Retention Strategy, which now covers this work.",
    "Cancelled by DMT: no longer a priority after the service review.",
)
# name, unit, higher is better, target, level in Q1 2014/15, quarterly variation
INDICATORS = (
    ("% absence", "%", False, Decimal("4"), 5.2, 0.3),
    ("% vacancies", "%", False, Decimal("8"), 11.5, 0.8),
    ("% agency staff", "%", False, None, 7.0, 0.6),
    ("Turnover", "%", False, Decimal("12"), 14.5, 0.7),
    ("% with supervision in the last month", "%", True, Decimal("95"), 84.0, 2.0),
    ("% with an appraisal", "%", True, Decimal("90"), 78.0, 2.5),
    ("% completed mandatory training", "%", True, Decimal("95"), 81.0, 2.0),
    ("Headcount", "people", True, None, 1460.0, 15.0),
    ("FTE", "FTE", True, None, 1285.0, 12.0),
)
# Other names for the standard indicators, as strategies write them (word starts).
INDICATOR_WORDS = (
    ("absence", "% absence"),
    ("vacanc", "% vacancies"),
    ("agency", "% agency staff"),
    ("turnover", "Turnover"),
    ("supervision", "% with supervision in the last month"),
    ("appraisal", "% with an appraisal"),
    ("training", "% completed mandatory training"),
    ("compliance", "% completed mandatory training"),
    ("headcount", "Headcount"),
    ("fte", "FTE"),
)
