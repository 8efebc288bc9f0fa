"""plo_letter_filed_10wd: letters before proceedings filed within 10 working days."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-04-01", "2026-06-30")


def test_letters_filed(partnership):
    case = Case()
    # Letters of Fri 27 Mar 2026 + 10 wd = Tue 14 Apr 2026 (Good Friday 3 Apr and Easter
    # Monday 6 Apr are holidays).
    case.pre_proceedings("PP1", "P1", "2026-03-20", letter="2026-03-27", letter_filed="2026-04-14")
    case.pre_proceedings("PP2", "P2", "2026-03-20", letter="2026-03-27", letter_filed="2026-04-15")
    case.pre_proceedings("PP3", "P3", "2026-03-20", letter="2026-03-27")
    # Filed after `to`: overdue as at 30 Jun.
    case.pre_proceedings("PP4", "P4", "2026-03-20", letter="2026-03-27", letter_filed="2026-07-01")
    # No letter yet: no obligation.
    case.pre_proceedings("PP5", "P5", "2026-06-01")
    case.load(partnership)

    result = run("plo_letter_filed_10wd", partnership, *WINDOW)
    assert statuses(result) == {
        "pre-proceedings PP1 letter filed": ("2026-04-14", "2026-04-14", "met"),
        "pre-proceedings PP2 letter filed": ("2026-04-14", "2026-04-15", "late"),
        "pre-proceedings PP3 letter filed": ("2026-04-14", None, "overdue"),
        "pre-proceedings PP4 letter filed": ("2026-04-14", None, "overdue"),
    }


def test_no_data_without_filing_table(partnership):
    case = Case()
    case.pre_proceedings("PP1", "P1", "2026-03-20", letter="2026-03-27")
    del case.tables["assure_plo_filing"]
    case.load(partnership, missing=("assure_plo_filing",))
    result = run("plo_letter_filed_10wd", partnership, *WINDOW)
    assert not result.has_data
    assert result.to_json(detail=False)["value"] is None
