"""Every worked example of domain.md §3, at the minute, and both sides of each deadline."""

import datetime as dt

import pytest

from batch.model import BRUSSELS
from batch.rules import RULES, RuleBook, Times, load_rules
from tests.conftest import at

BOOK = RuleBook()


def deadline(finding, declared, actual=(None, None)):
    start, end = declared
    times = Times(at(start), at(end), actual[0] and at(actual[0]), actual[1] and at(actual[1]))
    return BOOK.rule(finding).deadline_for(times)


@pytest.mark.parametrize(
    ("finding", "declared", "actual", "due"),
    [
        (
            "later end",
            ("2026-06-25 10:00", "2026-06-25 14:00"),
            (None, "2026-06-25 16:00"),
            "2026-06-25 22:00",
        ),
        (
            "earlier end",
            ("2026-06-25 10:00", "2026-06-25 14:00"),
            (None, "2026-06-25 12:30"),
            "2026-06-26 00:00",
        ),
        (
            "later end",
            ("2026-06-25 18:00", "2026-06-25 22:00"),
            (None, "2026-06-25 23:30"),
            "2026-06-26 08:00",
        ),
        (
            "later end",
            ("2026-06-25 16:00", "2026-06-25 20:00"),
            (None, "2026-06-25 21:00"),
            "2026-06-26 08:00",
        ),
        (
            "later end",
            ("2026-06-25 22:00", "2026-06-26 02:00"),
            (None, "2026-06-26 03:00"),
            "2026-06-26 10:00",
        ),
        ("no-show", ("2026-06-25 22:00", "2026-06-26 02:00"), (None, None), "2026-06-26 00:00"),
        (
            "later start",
            ("2026-06-25 10:00", "2026-06-25 14:00"),
            ("2026-06-25 10:30", None),
            "2026-06-25 10:30",
        ),
        (
            "earlier start",
            ("2026-06-25 10:00", "2026-06-25 14:00"),
            ("2026-06-25 09:15", None),
            "2026-06-25 09:15",
        ),
    ],
)
def test_worked_examples(finding, declared, actual, due):
    assert deadline(finding, declared, actual) == at(due)


def test_an_end_at_midnight_counts_as_24_00_and_gives_until_8_next_morning():
    assert deadline("later end", ("2026-06-25 20:00", "2026-06-26 00:00")) == at("2026-06-26 08:00")


def test_an_end_at_19_59_is_outside_the_evening_band():
    assert deadline("later end", ("2026-06-25 12:00", "2026-06-25 19:59")) == at("2026-06-26 03:59")


def test_later_end_on_the_night_clocks_go_back_counts_elapsed_hours():
    # 25 October 2026, 03:00 CEST becomes 02:00 CET; 01:00 + 8 elapsed hours is 08:00 CET.
    due = deadline("later end", ("2026-10-24 17:00", "2026-10-25 01:00"))
    assert due == dt.datetime(2026, 10, 25, 8, 0, tzinfo=BRUSSELS)
    assert due.utcoffset() == dt.timedelta(hours=1)


def test_later_end_on_the_night_clocks_go_forward():
    # 29 March 2026, 02:00 CET becomes 03:00 CEST; 01:00 + 8 elapsed hours is 10:00 CEST.
    assert deadline("later end", ("2026-03-28 17:00", "2026-03-29 01:00")) == at("2026-03-29 10:00")


def test_earliest_filing_is_one_month_before_the_quarter():
    assert BOOK.earliest_filing(at("2026-10-05 10:00")) == at("2026-09-01 00:00")
    assert BOOK.earliest_filing(at("2026-01-15 10:00")) == at("2025-12-01 00:00")
    assert BOOK.earliest_filing(at("2026-06-30 10:00")) == at("2026-03-01 00:00")


def test_every_rule_names_a_source_and_a_known_formula():
    assert all(rule.source and rule.valid_from for rule in RULES)
    assert {r.finding for r in RULES} >= {
        "later start",
        "earlier start",
        "earlier end",
        "later end",
        "no-show",
        "undeclared work",
    }


def test_an_override_file_changes_a_deadline(tmp_path):
    override = tmp_path / "rules.toml"
    override.write_text(
        '[[rule]]\nfinding = "later end"\nparams = { hours = 6 }\n'
        'valid_from = 2026-01-01\nsource = "test letter"\n'
    )
    book = load_rules(override)
    times = Times(at("2026-06-25 10:00"), at("2026-06-25 14:00"))
    assert book.rule("later end").deadline_for(times) == at("2026-06-25 20:00")
    # before the override applies, the default rule still stands
    old = book.rule("later end", dt.date(2025, 6, 1))
    assert old.deadline_for(times) == at("2026-06-25 22:00")


def test_an_override_with_an_unknown_formula_is_refused(tmp_path):
    override = tmp_path / "rules.toml"
    override.write_text('[[rule]]\nfinding = "later end"\ndeadline = "whenever"\n')
    with pytest.raises(ValueError, match="unknown deadline 'whenever'"):
        load_rules(override)
