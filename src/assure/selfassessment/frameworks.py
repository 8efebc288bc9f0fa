"""The built-in frameworks, in our own words. Each partnership gets version 1 of each the
first time it opens the self-assessment pages, and edits its own copy from there."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltIn:
    key: str
    title: str
    standards: tuple[tuple[str, str], ...]  # (title, what meeting it looks like)


SECTION_11 = BuiltIn(
    "section-11",
    "Section 11 standards",
    (
        (
            "Senior management commitment",
            "Senior leaders make safeguarding children a clear priority and say so to staff.",
        ),
        (
            "Clear accountability",
            "A named senior lead is accountable for safeguarding, and everyone knows who it is.",
        ),
        (
            "Safeguarding policies",
            "Up-to-date policies say what staff do when worried about a child.",
        ),
        ("Safe recruitment", "Vetting, references and checks keep unsuitable people out."),
        (
            "Training",
            "Staff are trained for their role and the training is refreshed and recorded.",
        ),
        (
            "Inter-agency working and information sharing",
            "Staff share information promptly with other agencies to protect children.",
        ),
        (
            "Listening to children",
            "Children's views and experiences shape the service and their own plans.",
        ),
        (
            "Supervision and escalation",
            "Staff get safeguarding supervision and know how to challenge and escalate.",
        ),
    ),
)

SECTION_175 = BuiltIn(
    "section-175",
    "Schools Section 175 self-evaluation",
    (
        ("Leadership and governance", "Governors and leaders oversee safeguarding."),
        (
            "Designated safeguarding lead",
            "A trained designated lead and deputy are in place and have the time to do it.",
        ),
        ("Policies and procedures", "The child protection policy is current and followed."),
        ("Safer recruitment", "The single central record is complete and checked."),
        ("Staff training and induction", "All staff are trained and read the current guidance."),
        ("Early help and referrals", "Concerns are recorded, acted on and referred promptly."),
        ("Online safety", "Filtering, monitoring and teaching keep pupils safe online."),
        ("Pupils' voice", "Pupils know whom to talk to and feel listened to."),
    ),
)

BUILT_IN = {f.key: f for f in (SECTION_11, SECTION_175)}
