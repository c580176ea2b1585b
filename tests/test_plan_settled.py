"""`plan.settled`: the rule "a day equal to its live periods needs nothing" over columns."""

import pandas as pd

from batch.plan import settled


def _frame(rows):
    return pd.DataFrame(rows, columns=["enterprise_number", "worker_key", "day", "start", "end"])


def test_only_days_with_exactly_the_same_times_are_settled():
    shifts = _frame(
        [
            ("E", "A", 1, 8, 16),  # same as its period
            ("E", "B", 1, 9, 16),  # start changed
            ("E", "C", 1, 8, 12),  # two shifts, one period
            ("E", "C", 1, 13, 17),
            ("E", "D", 1, 13, 17),  # same times, given in another order
            ("E", "D", 1, 8, 12),
            ("E", "F", 2, 8, 16),  # no period
        ]
    )
    periods = _frame(
        [
            ("E", "A", 1, 8, 16),
            ("E", "B", 1, 8, 16),
            ("E", "C", 1, 8, 12),
            ("E", "D", 1, 8, 12),
            ("E", "D", 1, 13, 17),
            ("E", "G", 1, 8, 16),  # a worker left out of the roster
        ]
    )
    rows, found = settled(shifts, periods)
    assert rows.tolist() == [True, False, False, False, True, True, False]
    assert found.tolist() == [True, False, False, True, True, False]


def test_nothing_to_compare():
    rows, found = settled(_frame([]), _frame([]))
    assert rows.tolist() == [] and found.tolist() == []
