"""The public pages: published reports, read by anyone without signing in.

A report's page and files are served from the bytes kept at publishing (`PublishedFile`),
never drawn again; each response may be kept by a browser or a CDN for `MAX_AGE` seconds
(`Cache-Control: public`), which bounds how long a withdrawn report may still be read from
such a copy. A withdrawn report's every address answers 410 Gone with a notice saying when
and why. Nothing here needs a signed-in person, and nothing here writes.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from publishing import pages, public_data
from publishing.models import Publication, PublishedFile, PublishedVersion
from publishing.services import PDF_NAME

# How long a browser or a CDN may keep a public response, in seconds.
MAX_AGE = 300
# The files served beside a version's page (the kept snapshot is not among them).
SERVED_FILES = {PDF_NAME, public_data.CSV_NAME, public_data.JSON_NAME, public_data.PACKAGE_NAME}
FEED_ITEMS = 50


def public(response: HttpResponse) -> HttpResponse:
    """The response marked as the same for every reader, keepable by any cache for MAX_AGE."""
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _frame() -> dict:
    """What the public frame (publishing/public_base.html) needs besides its page's own."""
    return {"static_prefix": PrefixNode.handle_simple("STATIC_URL"), "ogl_url": pages.OGL_URL}


def _quarter(quarter: str) -> tuple[int, int]:
    """(year, number) of a public address's quarter, "2016-q3"; Http404 if it is not one."""
    year, _, number = quarter.partition("-q")
    if not (year.isdigit() and number.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4"}):
        raise Http404(f"{quarter!r} is not a quarter: quarters are written like 2016-q3.")
    return int(year), int(number)


def _file(slug: str, quarter: str, name: str, number: int | None) -> PublishedFile:
    """The kept file `name` of version `number` (else the newest version) of the report at
    the address, with its version and publication: one query. Http404 if there is none."""
    year, quarter_number = _quarter(quarter)
    files = PublishedFile.objects.select_related("version__publication").filter(
        version__publication__slug=slug,
        version__publication__year=year,
        version__publication__number=quarter_number,
        name=name,
    )
    if number is not None:
        files = files.filter(version__number=number)
    found = files.order_by("-version__number").first()
    if found is None:
        raise Http404("No report is published at this address.")
    return found


def _withdrawn(request: HttpRequest, publication: Publication) -> HttpResponse:
    """410 Gone, with a page saying when the report was withdrawn and why."""
    version = publication.versions.only("strategy_title", "quarter_label").order_by("-number").first()
    context = {**_frame(), "publication": publication, "version": version}
    return public(render(request, "publishing/withdrawn.html", context, status=410))


def _served(kept: PublishedFile, content: bytes, *, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=kept.content_type)
    if kept.name != PublishedFile.PAGE:
        publication = kept.version.publication
        filename = f"{publication.slug}-{publication.quarter_slug}-v{kept.version.number}-{kept.name}"
        response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return public(response)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every published report, by strategy, newest quarter first. Two queries whatever the
    number: the publications, and their versions' names and dates (no file is read)."""
    publications = Publication.objects.order_by("slug", "-year", "-number").prefetch_related(
        _versions_listed("versions")
    )
    strategies: dict[str, dict] = {}
    for publication in publications:
        versions = list(publication.versions.all())
        newest = versions[-1]
        strategy = strategies.setdefault(publication.slug, {"title": newest.strategy_title, "reports": []})
        strategy["reports"].append({"publication": publication, "newest": newest, "first": versions[0]})
    return public(render(request, "publishing/index.html", {**_frame(), "strategies": list(strategies.values())}))


def _versions_listed(lookup: str) -> Prefetch:
    """A publication's versions, their names and dates alone (no file)."""
    return Prefetch(
        lookup,
        queryset=PublishedVersion.objects.only(
            "publication_id", "number", "published_at", "reason", "strategy_title", "quarter_label"
        ).order_by("number"),
    )


@require_safe
def report(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    """The report's newest version: its page as kept. One query."""
    kept = _file(slug, quarter, PublishedFile.PAGE, None)
    if kept.version.publication.is_withdrawn:
        return _withdrawn(request, kept.version.publication)
    return _served(kept, bytes(kept.content))


@require_safe
def version(request: HttpRequest, slug: str, quarter: str, number: int) -> HttpResponse:
    """One version's page as kept, with a notice above it when a later version replaces it."""
    kept = _file(slug, quarter, PublishedFile.PAGE, number)
    publication = kept.version.publication
    if publication.is_withdrawn:
        return _withdrawn(request, publication)
    content = bytes(kept.content)
    latest = publication.versions.only("number", "published_at", "publication_id").order_by("-number").first()
    if latest is not None and latest.number != number:
        notice = render_to_string("publishing/_later_version.html", {"latest": latest, "publication": publication})
        content = pages.with_notice(content, notice)
    return _served(kept, content)


@require_safe
def version_file(request: HttpRequest, slug: str, quarter: str, number: int, name: str) -> HttpResponse:
    """One of a version's files as kept: its PDF or its open data. One query."""
    if name not in SERVED_FILES:
        raise Http404(f"A report has no file {name!r}.")
    kept = _file(slug, quarter, name, number)
    if kept.version.publication.is_withdrawn:
        return _withdrawn(request, kept.version.publication)
    return _served(kept, bytes(kept.content), attachment=name == public_data.CSV_NAME)


class PublicationsFeed(Feed):
    """An Atom feed of the reports published, corrections included, newest first."""

    feed_type = Atom1Feed
    title = "Published reports"
    subtitle = "Quarterly progress reports on the council's workforce strategies, as they are published."
    # Atom asks for an author of the feed: the team that publishes the reports, never a person.
    author_name = "Organisational Planning"

    def link(self):
        return reverse("published:index")

    def items(self):
        return (
            PublishedVersion.objects.filter(publication__withdrawn_at__isnull=True)
            .select_related("publication")
            .only(
                "number",
                "published_at",
                "reason",
                "strategy_title",
                "quarter_label",
                "publication__slug",
                "publication__year",
                "publication__number",
            )
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: PublishedVersion) -> str:
        title = f"{item.strategy_title}: progress report, {item.quarter_label}"
        return title if item.number == 1 else f"{title} (version {item.number})"

    def item_description(self, item: PublishedVersion) -> str:
        if item.number == 1:
            return f"Published on {item.published_at:%-d %B %Y}."
        return f"Version {item.number}, published {item.published_at:%-d %B %Y}: {item.reason}"

    def item_link(self, item: PublishedVersion) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: PublishedVersion):
        return item.published_at

    def item_updateddate(self, item: PublishedVersion):
        return item.published_at


_feed = PublicationsFeed()


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    return public(_feed(request))
