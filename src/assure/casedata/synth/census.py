"""Writing the synthetic authority as a Children in Need census XML file (2026-27 layout)."""

import random
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from assure.casedata.synth.authority import Synthesiser
from assure.casedata.synth.dates import DEFAULT_AS_OF
from assure.casedata.synth.records import ChildRecord
from assure.core.calendar import add_working_days


def _collection_year_end(d: date) -> date:
    """31 March ending the census year (1 April to 31 March) that contains d."""
    return date(d.year + 1, 3, 31) if d.month >= 4 else date(d.year, 3, 31)


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _child_element(record: ChildRecord, rng: random.Random) -> ET.Element:
    child = ET.Element("Child")
    ids = _sub(child, "ChildIdentifiers")
    _sub(ids, "LAchildID", record.person_id)
    _sub(ids, "UPNunknown", "UN1" if record.dob is None else "UN2")
    if record.dob:
        _sub(ids, "PersonBirthDate", record.dob.isoformat())
    if record.expected_dob:
        _sub(ids, "ExpectedPersonBirthDate", record.expected_dob.isoformat())
    _sub(ids, "Sex", record.sex)
    if record.death:
        _sub(ids, "PersonDeathDate", record.death.isoformat())
    chars = _sub(child, "ChildCharacteristics")
    _sub(chars, "Ethnicity", record.ethnicity)
    disabilities = _sub(chars, "Disabilities")
    _sub(disabilities, "Disability", "NONE")
    pre_proceedings = list(record.pre_proceedings)
    for n, episode in enumerate(record.episodes):
        details = _sub(child, "CINdetails")
        _sub(details, "CINreferralDate", episode.referral.isoformat())
        _sub(details, "ReferralSource", rng.choice(("1A", "2A", "3A", "5A", "6", "8")))
        _sub(details, "PrimaryNeedCode", "N1" if episode.plan else rng.choice(("N1", "N2", "N4")))
        if episode.closure:
            _sub(details, "CINclosureDate", episode.closure.isoformat())
            _sub(details, "ReasonForClosure", "RC8" if episode.plan else "RC1")
        if episode.transfer_in:
            _sub(details, "DateOfInitialCPC", episode.transfer_in.held_on.isoformat())
        s47 = episode.s47
        if s47:
            sec = _sub(details, "Section47")
            _sub(sec, "S47ActualStartDate", s47.start.isoformat())
            _sub(sec, "InitialCPCtarget", add_working_days(s47.start, 15).isoformat())
            if s47.icpc:
                _sub(sec, "DateOfInitialCPC", s47.icpc.held_on.isoformat())
            _sub(sec, "ICPCnotRequired", "true" if s47.nfa else "false")
        _sub(details, "ReferralNFA", "false")
        plan = episode.plan
        if plan:
            cpp = _sub(details, "ChildProtectionPlans")
            _sub(cpp, "CPPstartDate", plan.start.isoformat())
            if plan.end:
                _sub(cpp, "CPPendDate", plan.end.isoformat())
            _sub(cpp, "InitialCategoryOfAbuse", plan.initial_category)
            _sub(cpp, "LatestCategoryOfAbuse", plan.latest_category)
            _sub(
                cpp,
                "NumberOfPreviousCPP",
                str(sum(1 for e in record.episodes[:n] if e.plan is not None)),
            )
            if plan.reviews:
                reviews = _sub(cpp, "Reviews")
                for review in plan.reviews:
                    _sub(reviews, "CPPreviewDate", review.held.isoformat())
        # Pre-proceedings belong to the episode open when they were decided (else the last).
        later = record.episodes[n + 1].referral if n + 1 < len(record.episodes) else None
        for pp in [p for p in pre_proceedings if later is None or p.decision < later]:
            pre_proceedings.remove(pp)
            module = _sub(details, "PreProceedingsandFGDM")
            _sub(module, "PPStartDate", pp.decision.isoformat())
            if pp.letter:
                _sub(module, "LBPSentDate", pp.letter.isoformat())
                _sub(module, "FGDMMeetingOffer", "1")
                _sub(module, "FGDMMeetingFac", "1" if rng.random() < 0.7 else "0")
            if pp.meeting:
                _sub(module, "InitialPPMeetingDate", pp.meeting.isoformat())
                _sub(module, "ReviewMeetingsCount", str(rng.randint(0, 4)))
            if pp.concluded:
                _sub(module, "StepDecisionDate", pp.concluded.isoformat())
                # CS131 codes; "A" for a step down and "B" for care proceedings here.
                _sub(module, "PPOutcome", "A" if pp.outcome == "step_down" else "B")
    if not record.episodes:
        details = _sub(child, "CINdetails")
        _sub(details, "CINreferralDate", (record.dob or date(2000, 1, 1)).isoformat())
        _sub(details, "ReferralSource", "9")
        _sub(details, "PrimaryNeedCode", "N9")
        _sub(details, "ReferralNFA", "true")
    return child


def write_cin_xml(out_file: Path, children: int, seed: int, as_of: date = DEFAULT_AS_OF) -> int:
    """Write the authority made by generate(children, seed, as_of) as a CIN census XML file.

    Children are written one at a time. Returns the number of children written. Codes the CSV
    files do not carry (referral source, need code, closure reason) are synthetic fillers.
    """
    syn = Synthesiser(children, seed, as_of)
    # Fillers come from their own generator so the children stay identical to generate()'s.
    filler = random.Random(seed + 1)  # noqa: S311 - synthetic data, not security
    reference = _collection_year_end(as_of)
    header = ET.Element("Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(reference.year))
    _sub(details, "ReferenceDate", reference.isoformat())
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
            element = _child_element(record, filler)
            ET.indent(element, space="  ", level=2)
            fh.write("    ")
            fh.write(ET.tostring(element, encoding="unicode"))
            fh.write("\n")
            written += 1
        fh.write("  </Children>\n</Message>\n")
    return written
