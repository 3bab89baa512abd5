"""The workbook printed and read as DMT's officers do: each sheet set up to print, the Target
columns holding numbers only, and a sheet with nothing to list saying so."""

from decimal import Decimal
from numbers import Number

import pytest

from tests import factories
from tests.dashboard.test_xlsx import rows_of, workbook_of

pytestmark = pytest.mark.django_db


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_on_each_page(client, dmt, timeline):
    """The Actions sheet has 18 columns: printed as it was, it ran over several pages wide."""
    _, workbook = workbook_of(client, dmt, timeline)
    assert workbook["Actions"].max_column == 18
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, f"{sheet.title} is not fitted to the page"
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), f"{sheet.title}: not one page wide"
        if sheet.title != "Summary":  # its tables' headers are its own rows part way down
            assert sheet.print_title_rows == "$1:$1", f"{sheet.title} does not repeat its header row"


def test_a_target_column_holds_numbers_and_is_empty_where_there_is_none(client, dmt, timeline):
    """It mixed the words "No target" with numbers, so the column could not be summed or
    sorted; "Against target" says when there is none."""
    strategy = timeline["strategy"]
    absence = factories.WorkforceIndicatorFactory(name="% absence", higher_is_better=False, target=Decimal("4"))
    headcount = factories.WorkforceIndicatorFactory(name="Headcount", unit="people", target=None)
    for indicator, value in ((absence, "3.9"), (headcount, 1180)):
        indicator.strategies.add(strategy)
        factories.WorkforceFigureFactory(indicator=indicator, year=2016, quarter=3, value=value)
    _, workbook = workbook_of(client, dmt, timeline)
    rows = rows_of(workbook["Indicators"])
    assert rows["% absence"]["Target"].value == 4
    assert rows["Headcount"]["Target"].value is None
    assert rows["Headcount"]["Against target"].value == "No target: trend only"
    for sheet in ("Indicators", "Measures"):
        header = [cell.value for cell in workbook[sheet][1]]
        column = header.index("Target")
        targets = [row[column].value for row in workbook[sheet].iter_rows(min_row=2)]
        assert all(value is None or isinstance(value, Number) for value in targets), (sheet, targets)


def test_a_sheet_with_nothing_to_list_says_so(client, dmt, timeline):
    """The strategy has no risks, no measures of success shown by a workforce figure and no
    indicators: each sheet still has its header, and a row saying there are none."""
    _, workbook = workbook_of(client, dmt, timeline)
    for title, sentence in (
        ("Risks", "The strategy lists no risks."),
        ("Measures", "No measure of success in this strategy is shown by a workforce figure."),
        ("Indicators", "No workforce indicators are linked to this strategy."),
    ):
        sheet = workbook[title]
        assert sheet.max_row == 2, f"{title} has {sheet.max_row - 1} rows"
        (row,) = sheet.iter_rows(min_row=2, values_only=True)
        assert row[0] == sentence and not any(row[1:]), (title, row)
        (table,) = sheet.tables.values()  # still a filtered table
        assert table.ref.endswith("2")
