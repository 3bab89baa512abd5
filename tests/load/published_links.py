"""How the load test's anonymous readers find their way (`tests/load/locustfile.py`): the links
of the index of published reports and of a report's page. Plain data, so that a test can
check them against the pages themselves (tests/load/test_published_links.py)."""

import re

# A published report's newest version (publishing/public_urls.py: /published/<slug>/2016-q3/).
REPORT_LINK = re.compile(r'href="(/published/[a-z0-9-]+/\d{4}-q[1-4]/)"')
# A file kept beside a version's page: its PDF and its open data, each reported by its name.
FILE_NAMES = {
    "report.pdf": "published PDF",
    "actions.csv": "CSV",
    "actions.json": "JSON",
    "datapackage.json": "datapackage.json",
}
FILE_LINK = re.compile(
    r'href="(/published/[a-z0-9-]+/\d{4}-q[1-4]/v\d+/(?:' + "|".join(map(re.escape, FILE_NAMES)) + r'))"'
)
