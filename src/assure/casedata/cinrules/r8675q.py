"""8675Q: an enquiry started well before the year end should have had its conference.

An initial conference is due within 15 working days. A section 47 enquiry that needs one
(ICPCnotRequired false) and started long enough before the reference date for those 15
working days to have passed, yet has no conference date, is worth checking.
"""

from collections.abc import Iterator
from datetime import date

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census
from assure.core.calendar import add_working_days

DUE_WITHIN = 15  # working days


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    if ref is None:
        return
    due_after: dict[date, date] = {}  # enquiries start on few distinct days
    for child, episode in census.enquiry_episodes:
        for s47 in episode.section47s:
            if s47.icpc is not None or s47.icpc_not_required is not False or s47.start is None:
                continue
            due = due_after.get(s47.start)
            if due is None:
                due = due_after[s47.start] = add_working_days(s47.start, DUE_WITHIN)
            if due < ref:
                yield child, f"enquiry starting {s47.start}, conference due by {due}"


RULE = Rule(
    "8675Q",
    "Please check: a section 47 enquiry started more than 15 working days before the end of "
    "the census year but has no date of initial child protection conference",
    check,
)
