"""Tiny census files for the rules' tests, as XML, read as `cin.py` reads each Child.

Defaults make one sound child: referred Wed 1 May 2024, assessed, a section 47 enquiry from
Thu 2 May with its initial conference on Mon 20 May (target Wed 22 May), and a plan from that
conference, reviewed Tue 20 Aug, still open. The census year runs 1 Apr 2024 to 31 Mar 2025.
Each test changes only what its rule is about.
"""

from __future__ import annotations

from defusedxml.ElementTree import fromstring

from assure.casedata.cinrules import check_census
from assure.casedata.cinrules.census import Census, parse_date, read_child

REFERENCE = "2025-03-31"


def _element(tag: str, value: str) -> str:
    return f"<{tag}>{value}</{tag}>" if value else ""


def assessment(
    start: str = "2024-05-01", authorised: str = "2024-05-10", factors: tuple[str, ...] = ("1C",)
) -> str:
    listed = "".join(_element("AssessmentFactors", f) for f in factors)
    return (
        f"<Assessments>{_element('AssessmentActualStartDate', start)}"
        f"{_element('AssessmentAuthorisationDate', authorised)}"
        f"<FactorsIdentifiedAtAssessment>{listed}</FactorsIdentifiedAtAssessment></Assessments>"
    )


def cin_plan(start: str, end: str = "") -> str:
    return (
        f"<CINPlanDates>{_element('CINPlanStartDate', start)}"
        f"{_element('CINPlanEndDate', end)}</CINPlanDates>"
    )


def s47(
    start: str = "2024-05-02",
    target: str = "2024-05-22",
    icpc: str = "2024-05-20",
    not_required: str = "false",
) -> str:
    return (
        f"<Section47>{_element('S47ActualStartDate', start)}{_element('InitialCPCtarget', target)}"
        f"{_element('DateOfInitialCPC', icpc)}{_element('ICPCnotRequired', not_required)}"
        "</Section47>"
    )


def plan(
    start: str = "2024-05-20",
    end: str = "",
    initial: str = "NEG",
    latest: str = "NEG",
    previous: str = "0",
    reviews: tuple[str, ...] = ("2024-08-20",),
) -> str:
    listed = "".join(f"<CPPreviewDate>{r}</CPPreviewDate>" for r in reviews)
    return (
        f"<ChildProtectionPlans>{_element('CPPstartDate', start)}{_element('CPPendDate', end)}"
        f"{_element('InitialCategoryOfAbuse', initial)}"
        f"{_element('LatestCategoryOfAbuse', latest)}"
        f"{_element('NumberOfPreviousCPP', previous)}"
        f"{f'<Reviews>{listed}</Reviews>' if reviews else ''}</ChildProtectionPlans>"
    )


SOUND = (assessment(), s47(), plan())


def episode(
    *parts: str,
    referral: str = "2024-05-01",
    closure: str = "",
    reason: str = "",
    nfa: str = "false",
    icpc: str = "",
) -> str:
    """A CINdetails group holding `parts` (the sound child's modules when none are given)."""
    return (
        f"<CINdetails>{_element('CINreferralDate', referral)}"
        f"{_element('CINclosureDate', closure)}{_element('ReasonForClosure', reason)}"
        f"{_element('DateOfInitialCPC', icpc)}{''.join(parts or SOUND)}"
        f"{_element('ReferralNFA', nfa)}</CINdetails>"
    )


def child(
    *episodes: str, id: str = "C1", birth: str = "2015-01-01", death: str = "", upn: str = ""
) -> str:
    return (
        f"<Child><ChildIdentifiers>{_element('LAchildID', id)}{_element('UPN', upn)}"
        f"{_element('PersonBirthDate', birth)}{_element('PersonDeathDate', death)}"
        f"<Sex>F</Sex></ChildIdentifiers>{''.join(episodes or (episode(),))}</Child>"
    )


def census(*children: str, reference: str = REFERENCE) -> Census:
    """The census the rules see, read child by child from the XML as `read_cin` does."""
    elements = fromstring(f"<Children>{''.join(children)}</Children>")
    return Census(
        reference=parse_date(reference),
        children=[read_child(element, n) for n, element in enumerate(elements, 1)],
    )


def failing(code: str, *children: str, reference: str = REFERENCE) -> list[str | None]:
    """The ids of the children (None: the file) the rule `code` finds, once per finding."""
    return [p.child for p in check_census(census(*children, reference=reference), only=[code])]
