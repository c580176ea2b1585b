"""Many at once: folders, several sheets and employers, employer lists, one run, one report set."""

import datetime as dt
import re

import openpyxl

from batch.model import BRUSSELS, Kind, Result
from batch.pipeline import declare
from batch.read import expand_paths, read_rosters
from batch.render import label
from batch.validate import to_shifts, validate
from tests.conftest import AN, HEADER, JAN, NSSO, at, shift
from tests.workbooks import enterprise, insz, nsso, write_book

LOU = insz("010203")
EVA = insz("990412", 18)
E1, E2, E3, E4, E5 = "0566988259", "0403170701", "0784315274", "0658194785", "1002471838"
AS_OF = at("2026-06-28 12:00")


def wall(moment: dt.datetime) -> str:
    return f"{moment.astimezone(BRUSSELS):%a %d/%m %H:%M}"


# --- the "done when" French grid ------------------------------------------------------------


def french_week(path):
    """A French weekly grid as a client writes it: title, labels, merged title, a totals row."""
    rows = [
        ["Planning des extras — semaine du 29/06/2026"],
        ["N° d'entreprise : BE 0566 988 259"],
        ["Employeur : Brasserie Le Coin"],
        [],
        ["NISS", "Nom", "Prénom", "lundi 29/06", "mardi 30/06", "mercredi 01/07", "jeudi 02/07",
         "vendredi 03/07", "samedi 04/07", "dimanche 05/07", "Total"],
        ["93.05.18-223.61", "Peeters", "An", "9h30 - 13h30 / 18h-22h", None, "22:00-02:00",
         "repos", "10-14", None, "9h30-", 18],
        [85073003328, "Janssens", "Jan", "10:00 - 14:00 / 18:00 - 22:00", "9u30-13u30", None,
         "18:00-24:00", "ma 10-14", "25-26", None, 24],
        ["Total", None, None, None, None, None, None, None, None, None, 42],
    ]  # fmt: skip
    return write_book(path, {"Semaine 27": rows}, merged={"Semaine 27": ["A1:K1"]})


def test_a_french_weekly_grid_declares_exactly_its_shifts(tmp_path):
    roster = french_week(tmp_path / "planning.xlsx")
    result = declare(
        [roster], ledger=tmp_path / "l.sqlite", out=tmp_path / "out", as_of=AS_OF, lang="fr"
    )
    assert [(d.kind, d.result) for d in result.declarations] == [(Kind.IN, Result.ACCEPTED)] * 8
    declared = sorted((d.worker.insz, wall(d.start), wall(d.end)) for d in result.declarations)
    assert declared == sorted(
        [
            (AN, "Mon 29/06 09:30", "Mon 29/06 13:30"),
            (AN, "Mon 29/06 18:00", "Mon 29/06 22:00"),
            (AN, "Wed 01/07 22:00", "Thu 02/07 02:00"),
            (AN, "Fri 03/07 10:00", "Fri 03/07 14:00"),
            (JAN, "Mon 29/06 10:00", "Mon 29/06 14:00"),
            (JAN, "Mon 29/06 18:00", "Mon 29/06 22:00"),
            (JAN, "Tue 30/06 09:30", "Tue 30/06 13:30"),
            (JAN, "Thu 02/07 18:00", "Fri 03/07 00:00"),
        ]
    )
    assert {d.employer.enterprise_number for d in result.declarations} == {E1}
    assert {d.employer.name for d in result.declarations} == {"Brasserie Le Coin"}
    assert [(p.cell, p.column, p.value, p.code) for p in result.problems] == [
        ("J6", "dimanche 05/07", "9h30-", "bad_shift"),
        ("H7", "vendredi 03/07", "ma 10-14", "bad_shift"),
        ("I7", "samedi 04/07", "25-26", "bad_shift"),
    ]
    report = openpyxl.load_workbook(tmp_path / "out" / "validation.xlsx").active
    cells = [row[4] for row in report.iter_rows(min_row=2, values_only=True)]
    assert cells == ["J6", "H7", "I7"]
    receipts = openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active
    assert receipts.max_row == 1 + 8


# --- a folder of five employers in five layouts ---------------------------------------------


def five_employers(folder):
    """Long NL, long FR, grid NL, grid FR, and a file of two sheets with an employer list."""
    (folder / "nl").mkdir(parents=True)
    (folder / "fr" / "deep").mkdir(parents=True)
    write_book(
        folder / "nl" / "brasserie.xlsx",
        {
            "Rooster": [
                ["Flexi-rooster week 27"],
                HEADER,
                shift("2026-06-29", "10:00", "14:00"),
                shift("2026-06-30", "18:00", "22:00", insz=JAN, last="Janssens", first="Jan"),
            ]
        },
    )
    write_book(
        folder / "fr" / "traiteur.xlsx",
        {
            "Planning": [
                [
                    "Numéro d'entreprise",
                    "Numéro ONSS",
                    "Employeur",
                    "NISS",
                    "Nom",
                    "Prénom",
                    "Date",
                    "Début",
                    "Fin",
                ],
                [
                    "BE 0403.170.701",
                    "",
                    "Traiteur Dubois",
                    AN,
                    "Peeters",
                    "An",
                    "29/06/2026",
                    "18h",
                    "23h",
                ],
                [
                    "0403170701",
                    "",
                    "Traiteur Dubois",
                    LOU,
                    "Dubois",
                    "Lou",
                    "01/07/2026",
                    "11h30",
                    "15h",
                ],
            ]
        },
    )
    write_book(
        folder / "fr" / "deep" / "strandbar.xlsx",
        {
            "Week 27": [
                ["Rooster week 27 (29/06/2026 - 05/07/2026)"],
                ["Ondernemingsnummer: 0784.315.274"],
                ["INSZ", "Naam", "Voornaam", "ma 29/06", "di 30/06", "wo 01/07"],
                [AN, "Peeters", "An", "", "10u-14u + 18u-22u", ""],
                [EVA, "Claes", "Eva", "22u-2u", "", ""],
            ]
        },
    )
    write_book(
        folder / "fr" / "bistro.xlsx",
        {
            "S27": [
                ["N° d'entreprise : BE 0658 194 785"],
                ["NISS", "Nom", "Prénom", "lundi 29/06/2026", "mardi 30/06/2026"],
                [JAN, "Janssens", "Jan", "9h-13h", "9h-13h"],
            ]
        },
    )
    write_book(folder / "feestzaal.xlsx", {
        "Zaal": [
            ["Enterprise number", "SSIN", "Last name", "First name", "Date", "Start", "End"],
            [E5, LOU, "Dubois", "Lou", dt.date(2026, 7, 4), dt.time(17), dt.time(23, 30)],
        ],
        "Keuken": [
            ["Werkgever: Feestzaal De Vijf"],
            ["INSZ", "Naam", "Voornaam", "za 04/07/2026", "zo 05/07/2026"],
            [EVA, "Claes", "Eva", "16-23", "11-15"],
        ],
        "Werkgevers": [
            ["Ondernemingsnummer", "RSZ-nummer", "Naam"],
            ["0566.988.259", NSSO, "Brasserie Het Pand"],
            ["0403.170.701", nsso(5000), "Traiteur Dubois"],
            ["0784.315.274", nsso(6000), "Strandbar De Zilvermeeuw"],
            ["0658.194.785", nsso(7000), "Bistro Le Cinq"],
            ["1002.471.838", nsso(8000), "Feestzaal De Vijf"],
        ],
    })  # fmt: skip
    (folder / "~$feestzaal.xlsx").write_bytes(b"lock file")
    (folder / "notes.txt").write_text("not a roster")
    return folder


def test_a_folder_is_searched_recursively_for_xlsx_without_lock_files(tmp_path):
    folder = five_employers(tmp_path / "in")
    assert sorted(p.relative_to(folder).as_posix() for p in expand_paths([folder])) == [
        "feestzaal.xlsx",
        "fr/bistro.xlsx",
        "fr/deep/strandbar.xlsx",
        "fr/traiteur.xlsx",
        "nl/brasserie.xlsx",
    ]


def test_five_employers_in_five_layouts_in_one_run(tmp_path):
    folder = five_employers(tmp_path / "in")
    result = declare(
        [folder], ledger=tmp_path / "l.sqlite", out=tmp_path / "out", as_of=AS_OF, lang="en"
    )
    assert result.problems == []
    assert result.counts["declared"] == 12
    per_employer = {}
    for d in result.declarations:
        per_employer[d.employer.enterprise_number] = (
            per_employer.get(d.employer.enterprise_number, 0) + 1
        )
    assert per_employer == {E1: 2, E2: 2, E3: 3, E4: 2, E5: 3}

    sheet = openpyxl.load_workbook(tmp_path / "out" / "receipts.xlsx").active
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = {
        name: header.index(label(name, "en"))
        for name in ("enterprise_number", "nsso_number", "employer")
    }
    receipts = {
        (r[column["enterprise_number"]], r[column["nsso_number"]], r[column["employer"]])
        for r in rows
    }
    assert len(rows) == 12
    receipts = {(re.sub(r"\D", "", e), n, name) for e, n, name in receipts}  # 0566.988.259
    assert receipts == {
        (E1, NSSO, "Brasserie Het Pand"),
        (E2, nsso(5000), "Traiteur Dubois"),
        (E3, nsso(6000), "Strandbar De Zilvermeeuw"),
        (E4, nsso(7000), "Bistro Le Cinq"),
        (E5, nsso(8000), "Feestzaal De Vijf"),
    }
    assert (tmp_path / "out" / "receipts.html").exists()
    assert (tmp_path / "out" / "validation.xlsx").exists()


# --- several sheets, employer lists ------------------------------------------------------------


def test_each_sheet_with_shifts_is_read(tmp_path):
    week = [HEADER, shift("2026-06-29", "10:00", "14:00")]
    later = [HEADER, shift("2026-07-06", "10:00", "14:00")]
    path = write_book(tmp_path / "r.xlsx", {"Week 27": week, "Week 28": later, "Leeg": []})
    result = validate(read_rosters([path]))
    assert [(p.sheet, p.severity.value, p.code) for p in result.problems] == [
        ("Leeg", "info", "sheet_empty")
    ]
    assert [(s.source.sheet, s.start.day) for s in to_shifts(result.shifts)] == [
        ("Week 27", 29),
        ("Week 28", 6),
    ]


def test_a_file_without_any_roster_says_so_once_per_sheet(tmp_path):
    path = write_book(tmp_path / "r.xlsx", {"A": [["Wie", "Wat"], ["x", "y"], ["z", "w"]]})
    reading = read_rosters([path])
    assert [(p.sheet, p.code) for p in reading.problems] == [("A", "no_header")]


def test_an_employer_list_is_checked_cell_by_cell(tmp_path):
    employers = [
        ["N° BCE", "N° ONSS", "Raison sociale"],
        ["0566.988.259", "0009354-68", "Brasserie"],  # NSSO check digits: a warning
        ["0566.988.258", "", "Faute"],  # enterprise check digits: an error
        ["12345", "", "Court"],
        ["", "", "Sans numéro"],
        ["Total"],
    ]
    path = write_book(tmp_path / "employeurs.xlsx", {"Employeurs": employers})
    reading = read_rosters([path])
    assert [(p.cell, p.severity.value, p.code) for p in reading.problems] == [
        ("B2", "warning", "nsso_check"),
        ("A3", "error", "enterprise_check"),
        ("A4", "error", "enterprise_length"),
        ("A5", "error", "missing"),
    ]
    assert list(reading.employers) == [E1]
    assert reading.employers[E1].name == "Brasserie"


def test_an_employer_list_of_its_own_fills_names_and_nsso_numbers(tmp_path):
    roster = write_book(tmp_path / "r.xlsx", {"R": [
        ["Ondernemingsnummer", "INSZ", "Naam", "Voornaam", "Datum", "Van", "Tot"],
        [E1, AN, "Peeters", "An", dt.date(2026, 6, 29), "10:00", "14:00"],
        [E2, AN, "Peeters", "An", dt.date(2026, 6, 29), "18:00", "22:00"],
    ]})  # fmt: skip
    listed = write_book(tmp_path / "werkgevers.xlsx", {"Werkgevers": [
        ["KBO-nummer", "RSZ", "Werkgever"], [E1, 935467, "Brasserie Het Pand"],
    ]})  # fmt: skip
    result = validate(read_rosters([roster, listed]))
    assert result.problems == []
    assert [(s.employer.nsso_number, s.employer.name) for s in to_shifts(result.shifts)] == [
        (NSSO, "Brasserie Het Pand"),
        ("", ""),
    ]


def test_a_roster_without_enterprise_number_takes_the_only_employer_its_file_lists(tmp_path):
    path = write_book(tmp_path / "r.xlsx", {
        "Week": [["INSZ", "Naam", "Voornaam", "29/06/2026"], [AN, "Peeters", "An", "10-14"]],
        "Employers": [["Enterprise number", "NSSO number", "Employer"], [E4, "", "Bistro"]],
    })  # fmt: skip
    result = validate(read_rosters([path]))
    assert result.problems == []
    (s,) = to_shifts(result.shifts)
    assert (s.employer.enterprise_number, s.employer.name) == (E4, "Bistro")


def test_enterprise_numbers_computed_for_the_tests_are_valid():
    assert enterprise(5669882) == E1
    assert insz("930518", 223) == AN


def test_a_grid_named_by_its_employer_takes_the_listed_enterprise_number(tmp_path):
    grid = write_book(tmp_path / "keuken.xlsx", {"Keuken": [
        ["Werkgever: Feestzaal De Vijf"],
        ["INSZ", "Naam", "Voornaam", "za 04/07/2026"],
        [EVA, "Claes", "Eva", "16-23"],
    ]})  # fmt: skip
    listed = write_book(tmp_path / "employers.xlsx", {"Employers": [
        ["Enterprise number", "NSSO number", "Employer"],
        [E5, nsso(8000), "Feestzaal de Vijf"],
        [E1, NSSO, "Brasserie"],
    ]})  # fmt: skip
    result = validate(read_rosters([grid, listed]))
    assert result.problems == []
    (s,) = to_shifts(result.shifts)
    assert (s.employer.enterprise_number, s.employer.nsso_number) == (E5, nsso(8000))
    assert s.employer.name == "Feestzaal De Vijf"  # as the roster writes it


def test_the_year_option_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from batch.cli import main

    path = write_book(tmp_path / "g.xlsx", {"S": [
        ["Ondernemingsnummer: 0566.988.259"],
        ["INSZ", "Naam", "Voornaam", "ma 29/06"],
        [AN, "Peeters", "An", "10-14"],
    ]})  # fmt: skip
    args = ["declare", str(path), "--ledger", str(tmp_path / "l.sqlite"), "--out",
            str(tmp_path / "out"), "--as-of", "2026-06-28 12:00", "--lang", "en"]  # fmt: skip
    without = CliRunner().invoke(main, args)
    assert without.exit_code == 2  # nothing could be read: unusable input, ledger untouched
    assert "the day headers have no year" in without.output
    assert not (tmp_path / "l.sqlite").exists()
    result = CliRunner().invoke(main, [*args, "--year", "2026"])
    assert result.exit_code == 0, result.output
