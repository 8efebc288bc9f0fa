"""Writing the synthetic authority as a Children in Need census XML file.

The census is the one a careful authority would submit for the last census year (1 April to
31 March) ending on or before the as-of date, as it stood on that year's last day, the
reference date: only children with an episode open at some time in the year, only what had
happened by the reference date, and only the modules that belong to the year (section 47
enquiries concluded in the year or still open, conferences in the year, plans open during the
year with the reviews held in it). Each episode has the assessment the DfE expects and a
reason for closure that fits what happened in it, so the DfE's rules (`cinrules`) find no error.
From the 2026-27 census on, pre-proceedings are written too (the 2026-27 layout).
"""

import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from assure.casedata.synth.authority import Synthesiser
from assure.casedata.synth.dates import DEFAULT_AS_OF, awd
from assure.casedata.synth.records import ChildRecord, Episode, PreProceedings
from assure.core.calendar import add_working_days

PRE_PROCEEDINGS_FROM = 2027  # the first census (by its reference date's year) to carry them
# Assessment factors (CS code set); "21" means no factors identified.
FACTORS = ("1C", "2A", "2B", "3A", "3B", "4A", "4B", "5A", "6C", "8B", "9A", "22A")
NO_FACTORS = "21"


def census_reference(as_of: date) -> date:
    """The reference date (31 March) of the last census year ending on or before `as_of`."""
    return (
        date(as_of.year, 3, 31) if as_of >= date(as_of.year, 3, 31) else date(as_of.year - 1, 3, 31)
    )


@dataclass(frozen=True)
class CensusYear:
    start: date
    reference: date

    @classmethod
    def ending(cls, reference: date) -> "CensusYear":
        return cls(date(reference.year - 1, 4, 1), reference)

    def known(self, when: date | None) -> date | None:
        """A date as the census knows it: nothing after the reference date has happened."""
        return when if when is not None and when <= self.reference else None

    def holds(self, when: date) -> bool:
        return self.start <= when <= self.reference


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _in_year(year: CensusYear, episode: Episode) -> bool:
    """Whether the episode was open at some time in the census year."""
    closure = year.known(episode.closure)
    return episode.referral <= year.reference and (closure is None or closure >= year.start)


class _EpisodeWriter:
    """One episode's `CINdetails`, as the census at the reference date shows it."""

    def __init__(self, year: CensusYear, rng: random.Random, episode: Episode, previous: int):
        self.year, self.rng, self.episode, self.previous = year, rng, episode, previous

    def write(self, child: ET.Element) -> ET.Element:
        year, rng, episode = self.year, self.rng, self.episode
        closure = year.known(episode.closure)
        s47 = self._section47()
        plan = episode.plan
        if plan is not None and (plan.start > year.reference or self._ended_before(plan.end)):
            plan = None
        # The episode's own conference: a transfer-in's, or that of a plan from an earlier
        # year (whose enquiry, concluded then, is not in this year's census).
        conference = episode.transfer_in
        if conference is None and plan is not None and s47 is None and episode.s47:
            conference = episode.s47.icpc
        episode_icpc = conference.held_on if conference else None
        if episode_icpc is not None and episode_icpc > year.reference:
            episode_icpc = None
        starts = [episode.referral]
        starts += [s47[0]] if s47 else []
        starts += [plan.start] if plan else []
        referral = min(starts)
        details = _sub(child, "CINdetails")
        _sub(details, "CINreferralDate", referral.isoformat())
        _sub(details, "ReferralSource", rng.choice(("1A", "2A", "3A", "5A", "6", "8")))
        protection = episode.s47 is not None or episode.transfer_in is not None
        _sub(details, "PrimaryNeedCode", "N1" if episode.plan else rng.choice(("N1", "N2", "N4")))
        if closure:
            _sub(details, "CINclosureDate", closure.isoformat())
            # RC7: services ceased; RC8/RC9: closed after assessment (no action, early help).
            reason = "RC7" if protection else rng.choice(("RC8", "RC9"))
            _sub(details, "ReasonForClosure", reason)
        if episode_icpc:
            _sub(details, "DateOfInitialCPC", episode_icpc.isoformat())
        _sub(details, "ReferralNFA", "false")
        self._assessment(details, referral, closure, after_assessment=not protection)
        if s47:
            start, icpc, not_required = s47
            module = _sub(details, "Section47")
            _sub(module, "S47ActualStartDate", start.isoformat())
            _sub(module, "InitialCPCtarget", add_working_days(start, 15).isoformat())
            if icpc:
                _sub(module, "DateOfInitialCPC", icpc.isoformat())
            _sub(module, "ICPCnotRequired", "true" if not_required else "false")
        if plan:
            module = _sub(details, "ChildProtectionPlans")
            _sub(module, "CPPstartDate", plan.start.isoformat())
            if end := year.known(plan.end):
                _sub(module, "CPPendDate", end.isoformat())
            _sub(module, "InitialCategoryOfAbuse", plan.initial_category)
            _sub(module, "LatestCategoryOfAbuse", plan.latest_category)
            _sub(module, "NumberOfPreviousCPP", str(self.previous))
            held = [r.held for r in plan.reviews if year.holds(r.held)]
            if held:
                reviews = _sub(module, "Reviews")
                for when in held:
                    _sub(reviews, "CPPreviewDate", when.isoformat())
        return details

    def _ended_before(self, end: date | None) -> bool:
        return end is not None and end < self.year.start

    def _section47(self) -> tuple[date, date | None, bool] | None:
        """The enquiry's start, conference and ICPCnotRequired, if it belongs to the year."""
        year, s47 = self.year, self.episode.s47
        if s47 is None or s47.start > year.reference:
            return None
        if s47.icpc is not None:
            held = s47.icpc.held_on
            if held < year.start:
                return None  # concluded at a conference in an earlier year
            return (s47.start, year.known(held), False)
        concluded = year.known(s47.end)
        if concluded is None:
            return (s47.start, None, False)  # still running on the reference date
        if concluded < year.start:
            return None
        return (s47.start, None, bool(s47.nfa))

    def _assessment(
        self, details: ET.Element, referral: date, closure: date | None, *, after_assessment: bool
    ) -> None:
        """The assessment that follows the referral: authorised by the closure (if any)."""
        year, rng = self.year, self.rng
        start = referral + timedelta(days=rng.randint(0, 3))
        if closure is not None:
            start = min(start, closure)
        authorised = year.known(awd(start, rng.randint(5, 45)))
        if closure is not None and (authorised is None or authorised > closure):
            authorised = closure
        module = _sub(details, "Assessments")
        _sub(module, "AssessmentActualStartDate", start.isoformat())
        if authorised:
            _sub(module, "AssessmentAuthorisationDate", authorised.isoformat())
            factors = _sub(module, "FactorsIdentifiedAtAssessment")
            if after_assessment and closure is not None and rng.random() < 0.3:
                _sub(factors, "AssessmentFactors", NO_FACTORS)
            else:
                for code in sorted(rng.sample(FACTORS, rng.randint(1, 3))):
                    _sub(factors, "AssessmentFactors", code)


def _pre_proceedings(details: ET.Element, year: CensusYear, pp: PreProceedings) -> None:
    rng = random.Random(pp.table_id)  # noqa: S311 - synthetic data, not security
    module = _sub(details, "PreProceedingsandFGDM")
    _sub(module, "PPStartDate", pp.decision.isoformat())
    if letter := year.known(pp.letter):
        _sub(module, "LBPSentDate", letter.isoformat())
        _sub(module, "FGDMMeetingOffer", "1")
        _sub(module, "FGDMMeetingFac", "1" if rng.random() < 0.7 else "0")
    if meeting := year.known(pp.meeting):
        _sub(module, "InitialPPMeetingDate", meeting.isoformat())
        _sub(module, "ReviewMeetingsCount", str(rng.randint(0, 4)))
    if concluded := year.known(pp.concluded):
        _sub(module, "StepDecisionDate", concluded.isoformat())
        # CS131 codes; "A" for a step down and "B" for care proceedings here.
        _sub(module, "PPOutcome", "A" if pp.outcome == "step_down" else "B")


def _child_element(record: ChildRecord, rng: random.Random, year: CensusYear) -> ET.Element | None:
    """The child's census record, or None if no episode of theirs was open in the year."""
    if not any(_in_year(year, e) for e in record.episodes):
        return None
    child = ET.Element("Child")
    ids = _sub(child, "ChildIdentifiers")
    _sub(ids, "LAchildID", record.person_id)
    _sub(ids, "UPNunknown", "UN1" if record.dob is None else "UN2")
    if record.dob:
        _sub(ids, "PersonBirthDate", record.dob.isoformat())
    if record.expected_dob:
        _sub(ids, "ExpectedPersonBirthDate", record.expected_dob.isoformat())
    _sub(ids, "Sex", record.sex)
    if death := year.known(record.death):
        _sub(ids, "PersonDeathDate", death.isoformat())
    chars = _sub(child, "ChildCharacteristics")
    _sub(chars, "Ethnicity", record.ethnicity)
    disabilities = _sub(chars, "Disabilities")
    _sub(disabilities, "Disability", "NONE")
    pre_proceedings = [
        p
        for p in record.pre_proceedings
        if p.decision <= year.reference and not (p.concluded and p.concluded < year.start)
    ]
    if year.reference.year < PRE_PROCEEDINGS_FROM:
        pre_proceedings = []
    written: list[tuple[Episode, ET.Element]] = []
    previous = 0
    for episode in record.episodes:
        if _in_year(year, episode):
            written.append((episode, _EpisodeWriter(year, rng, episode, previous).write(child)))
        if episode.plan is not None:
            previous += 1
    for pp in pre_proceedings:
        # In the episode open when they were decided (else the first of the year).
        holder = [d for e, d in written if e.referral <= pp.decision] or [written[0][1]]
        _pre_proceedings(holder[-1], year, pp)
    return child


def write_cin_xml(
    out_file: Path,
    children: int,
    seed: int,
    as_of: date = DEFAULT_AS_OF,
    at_most: int | None = None,
) -> int:
    """Write the authority made by generate(children, seed, as_of) as a CIN census XML file.

    The census is of the last year ending on or before `as_of` (see the module docstring); it
    stops after `at_most` children, if given (a census of a chosen size, for benchmarks).
    Children are written one at a time. Returns the number of children written. Codes the CSV
    files do not carry (referral source, need code, assessment factors) are synthetic fillers.
    """
    syn = Synthesiser(children, seed, as_of)
    # Fillers come from their own generator so the children stay identical to generate()'s.
    filler = random.Random(seed + 1)  # noqa: S311 - synthetic data, not security
    year = CensusYear.ending(census_reference(as_of))
    header = ET.Element("Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(year.reference.year))
    _sub(details, "ReferenceDate", year.reference.isoformat())
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", "999")
    _sub(source, "SoftwareCode", "Assure synthetic data")
    _sub(source, "Release", "1")
    _sub(source, "SerialNo", "001")
    _sub(source, "DateTime", f"{as_of.isoformat()}T00:00:00")
    ET.indent(header, space="  ", level=1)
    written = 0
    with open(out_file, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  ')
        fh.write(ET.tostring(header, encoding="unicode"))
        fh.write("\n  <Children>\n")
        for record in syn.children_records():
            element = _child_element(record, filler, year)
            if element is None:
                continue
            ET.indent(element, space="  ", level=2)
            fh.write("    ")
            fh.write(ET.tostring(element, encoding="unicode"))
            fh.write("\n")
            written += 1
            if written == at_most:
                break
        fh.write("  </Children>\n</Message>\n")
    return written
