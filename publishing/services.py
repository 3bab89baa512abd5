"""Writes of publishing: withholding a commentary, publishing a signed-off quarter, correcting
it and withdrawing it. Each takes the acting user and lets through Organisational Planning
alone (workforce.roles); each tells the data version after its commit.

Publishing takes the quarter's snapshot (`public_data.public_snapshot`) once, draws the page
and the PDF from it and makes the open data from it, and keeps all of their bytes: what
is served afterwards is those bytes, whatever later happens to the plan or its updates.
"""

import json
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from dashboard import pdf_budget
from publishing import pages, public_data
from publishing.models import Publication, PublishedFile, PublishedVersion, Withholding
from reporting.models import ReportingPeriod
from strategy_tracker import data_version
from workforce.roles import planner_required

# Every file of a version, its content type, and the address it is served at (beside the page).
SNAPSHOT_NAME = "snapshot.json"
PDF_NAME = "report.pdf"
CONTENT_TYPES = {
    PublishedFile.PAGE: "text/html; charset=utf-8",
    PDF_NAME: "application/pdf",
    public_data.CSV_NAME: "text/csv; charset=utf-8",
    public_data.JSON_NAME: "application/json",
    public_data.PACKAGE_NAME: "application/json",
    SNAPSHOT_NAME: "application/json",
}
# The name of each link the page makes to a file (pages.VersionFacts.links).
LINKS = {
    "pdf": PDF_NAME,
    "csv": public_data.CSV_NAME,
    "json": public_data.JSON_NAME,
    "datapackage": public_data.PACKAGE_NAME,
}


def public_quarter_slug(period: ReportingPeriod) -> str:
    """The quarter in a public address: "2016-q3"."""
    return f"{period.year}-q{period.number}"


def withheld_for(period: ReportingPeriod) -> dict[int, str]:
    """{action id: reason} of the quarter's withheld commentaries: one query."""
    return dict(Withholding.objects.filter(period=period).values_list("action_id", "reason"))


def trend_periods(period: ReportingPeriod) -> list[ReportingPeriod]:
    """The strategy's earlier quarters that are published and not withdrawn: the only other
    quarters the public report may show anything of (their trend counts)."""
    return list(
        ReportingPeriod.objects.filter(
            strategy_id=period.strategy_id,
            start__lt=period.start,
            publication__isnull=False,
            publication__withdrawn_at__isnull=True,
        ).order_by("start")
    )


def snapshot_take(period: ReportingPeriod) -> dict:
    """What the public would read of the quarter now."""
    return public_data.public_snapshot(period, withheld=withheld_for(period), trend_periods=trend_periods(period))


def _publishable(period: ReportingPeriod) -> None:
    """Refuses (ValidationError) a quarter that is open or not signed off."""
    if period.is_open:
        raise ValidationError(f"{period} is open: close it and record its sign-off before publishing it.", code="open")
    if not period.is_signed_off:
        raise ValidationError(
            f"{period} is not signed off: record who at DMT approved it first.", code="not_signed_off"
        )


def _links(slug: str, quarter: str, number: int) -> dict[str, str]:
    """The addresses of a version's files, and its page's full address ("page", for the PDF)."""
    links = {key: reverse("published:file", args=[slug, quarter, number, name]) for key, name in LINKS.items()}
    links["page"] = settings.SITE_URL.rstrip("/") + reverse("published:version", args=[slug, quarter, number])
    return links


def _earlier(publication: Publication | None) -> list[pages.EarlierVersion]:
    if publication is None:
        return []
    versions = publication.versions.only("number", "published_at", "publication_id").order_by("-number")
    return [pages.EarlierVersion(v.number, v.published_at, v.get_absolute_url()) for v in versions]


def report_preview(*, period: ReportingPeriod, user, name: str = PublishedFile.PAGE) -> bytes:
    """The page (or another file, by `name`) the public would read were the quarter published
    now, as a planner: drawn as publishing draws it, from a fresh snapshot."""
    planner_required(user, "preview a published report")
    _publishable(period)
    publication = Publication.objects.filter(period=period).first()
    number = publication.versions.count() + 1 if publication else 1
    slug = publication.slug if publication else period.strategy.slug
    facts = pages.VersionFacts(
        number=number,
        published_at=timezone.now(),
        approved_on=period.signed_off_on or timezone.localdate(),
        earlier=_earlier(publication),
        links={
            **{
                key: reverse("publishing:preview_file", args=[period.strategy.slug, period.slug, file])
                for key, file in LINKS.items()
            },
            "page": settings.SITE_URL.rstrip("/")
            + reverse("published:report", args=[slug, public_quarter_slug(period)]),
        },
        preview=True,
        back_url=reverse("publishing:quarter", args=[period.strategy.slug, period.slug]),
    )
    snapshot = snapshot_take(period)
    if name == PublishedFile.PAGE:
        return pages.report_page(snapshot, facts).encode()
    if name == PDF_NAME:
        return _pdf(snapshot, facts)
    files = public_data.open_data_files(
        snapshot, version=number, published_at=facts.published_at, licence_url=pages.OGL_URL
    )
    return files[name]


def _pdf(snapshot: dict, facts: pages.VersionFacts) -> bytes:
    """The report's PDF; ValidationError, saying why, past the PDF budget (dashboard.pdf_budget)."""
    try:
        return pages.report_pdf(snapshot, facts)
    except pdf_budget.PdfTooLarge as refusal:
        raise ValidationError(f"The report's PDF could not be made: {refusal}", code="pdf_too_large") from refusal


def _version_create(*, period: ReportingPeriod, user, reason: str, published_at: datetime | None) -> PublishedVersion:
    """Take the snapshot, draw and make every file from it once, and keep them as the next
    version of the quarter's publication (made at the first). Called under the quarter's lock."""
    publication = Publication.objects.select_for_update().filter(period=period).first()
    if publication is not None and publication.is_withdrawn:
        raise ValidationError(f"The {period} report was withdrawn: it cannot be published again.", code="withdrawn")
    if publication is None:
        publication = Publication.objects.create(
            period=period, slug=period.strategy.slug, year=period.year, number=period.number
        )
    number = (publication.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    when = published_at or timezone.now()
    assert period.signed_off_on is not None  # _publishable checked it
    facts = pages.VersionFacts(
        number=number,
        published_at=when,
        approved_on=period.signed_off_on,
        reason=reason,
        earlier=_earlier(publication),
        links=_links(publication.slug, publication.quarter_slug, number),
    )
    snapshot = snapshot_take(period)
    files = {
        PublishedFile.PAGE: pages.report_page(snapshot, facts).encode(),
        PDF_NAME: _pdf(snapshot, facts),
        **public_data.open_data_files(snapshot, version=number, published_at=when, licence_url=pages.OGL_URL),
        SNAPSHOT_NAME: json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True).encode(),
    }
    version = PublishedVersion(
        publication=publication,
        number=number,
        published_at=when,
        published_by=user,
        reason=reason,
        strategy_title=snapshot["strategy"]["title"],
        quarter_label=snapshot["quarter"]["label"],
    )
    version.full_clean()
    version.save()
    PublishedFile.objects.bulk_create(
        PublishedFile(version=version, name=name, content_type=CONTENT_TYPES[name], content=content)
        for name, content in files.items()
    )
    data_version.changed()
    return version


def report_publish(*, period: ReportingPeriod, user, published_at: datetime | None = None) -> PublishedVersion:
    """Publish a closed, signed-off quarter for the first time, as a planner: version 1.

    Refuses (ValidationError) a quarter open, not signed off, or already published (correct
    it instead). `published_at` is for the demo, which publishes as if in its own year."""
    planner_required(user, "publish a report")
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().select_related("strategy").get(pk=period.pk)
        _publishable(locked)
        if Publication.objects.filter(period=locked).exists():
            raise ValidationError(
                f"{locked} is published already: publish a correction, with what it corrects.", code="published"
            )
        return _version_create(period=locked, user=user, reason="", published_at=published_at)


def report_correct(*, period: ReportingPeriod, user, reason: str) -> PublishedVersion:
    """Publish a correction of a published quarter, as a planner: a new version, saying what
    it corrects ("corrected the status of 2.1.3"); the earlier versions stay as they were."""
    planner_required(user, "publish a correction")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("Enter what the correction corrects", code="required")})
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().select_related("strategy").get(pk=period.pk)
        _publishable(locked)
        if not Publication.objects.filter(period=locked).exists():
            raise ValidationError(f"{locked} is not published yet: publish it first.", code="not_published")
        return _version_create(period=locked, user=user, reason=reason, published_at=None)


def report_withdraw(*, period: ReportingPeriod, user, reason: str) -> Publication:
    """Withdraw a published quarter's report, as a planner: every version's page and files
    then give way to a notice saying when and why. It is not published again."""
    planner_required(user, "withdraw a report")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("Enter why the report is withdrawn", code="required")})
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(period=period).first()
        if publication is None:
            raise ValidationError(f"{period} is not published: there is nothing to withdraw.", code="not_published")
        if publication.is_withdrawn:
            raise ValidationError(f"The {period} report is withdrawn already.", code="withdrawn")
        publication.withdrawn_at, publication.withdrawn_reason, publication.withdrawn_by = timezone.now(), reason, user
        publication.full_clean()
        publication.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
        data_version.changed()
    return publication


def commentary_withhold(*, period: ReportingPeriod, action: Action, user, reason: str) -> Withholding:
    """Keep an action's progress commentary out of the quarter's public report, as a planner,
    with the reason shown in its place ("personal information"). Changes what the next
    version publishes; a published version stays as it was."""
    planner_required(user, "withhold a commentary")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("Enter why the commentary is withheld", code="required")})
    if action.strategy_id != period.strategy_id:
        raise ValidationError(f"Action {action.reference} is not an action of {period}'s strategy.", code="strategy")
    with transaction.atomic():
        withholding = Withholding.objects.filter(period=period, action=action).first() or Withholding(
            period=period, action=action
        )
        withholding.reason, withholding.by = reason, user
        withholding.full_clean(validate_constraints=False)
        withholding.save()
        data_version.changed()
    return withholding


def commentary_release(*, period: ReportingPeriod, action: Action, user) -> None:
    """Publish an action's commentary after all, as a planner: its withholding is removed."""
    planner_required(user, "withhold a commentary")
    with transaction.atomic():
        deleted, _ = Withholding.objects.filter(period=period, action=action).delete()
        if not deleted:
            raise ValidationError(f"Action {action.reference}'s commentary is not withheld.", code="not_withheld")
        data_version.changed()
