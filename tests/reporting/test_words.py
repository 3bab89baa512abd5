"""When an action is due, in words: one rule for the lists and the report (reporting.words)."""

import datetime
from types import SimpleNamespace

import pytest

from reporting.words import due_sentence, due_words


@pytest.mark.parametrize(
    ("is_ongoing", "due_date", "timescale", "column", "sentence"),
    [
        (False, datetime.date(2017, 3, 31), "March 2017", "31 Mar 2017", "Due 31 Mar 2017"),
        (True, datetime.date(2015, 12, 31), "December 2015 (and then ongoing)", "Ongoing", "Ongoing"),
        (True, None, "Ongoing", "Ongoing", "Ongoing"),
        (False, None, "When the intranet is ready", "When the intranet is ready", ""),
        (False, None, "", "–", ""),
    ],
)
def test_due_words(is_ongoing, due_date, timescale, column, sentence):
    action = SimpleNamespace(is_ongoing=is_ongoing, due_date=due_date, timescale=timescale)
    assert due_words(action) == column
    assert due_sentence(action) == sentence
