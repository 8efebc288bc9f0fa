"""Built-in survey templates and the plain-text way a manager writes a survey's questions.

One question a line: `kind: question text`, and for choices `| option | option` after it:

    likert: I know where to find the escalation protocol
    single: How often have you escalated a concern this year? | Never | Once | More than once
    multiple: Which training have you had? | E-learning | Face to face | None
    yes_no: Have you read the protocol?
    text: What would help you challenge another agency's decision?
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from assure.surveys.models import Kind


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    introduction: str
    questions: list[QuestionSpec]


TEMPLATES = {
    t.key: t
    for t in [
        Template(
            "escalation-awareness",
            "Awareness of the professional challenge and escalation protocol",
            "This survey asks what you know of the partnership's protocol for challenging "
            "another agency's decision and escalating a concern. It takes about 3 minutes.",
            [
                QuestionSpec(
                    Kind.YES_NO, "Are you aware of the partnership's escalation protocol?"
                ),
                QuestionSpec(Kind.LIKERT, "I know where to find the escalation protocol."),
                QuestionSpec(
                    Kind.LIKERT,
                    "I feel confident to challenge another agency's decision about a child.",
                ),
                QuestionSpec(
                    Kind.SINGLE,
                    "How many times have you escalated a concern in the last 12 months?",
                    ["Never", "Once", "2 to 5 times", "More than 5 times"],
                ),
                QuestionSpec(
                    Kind.MULTIPLE,
                    "How did you learn about the protocol?",
                    ["Training", "My manager", "Partnership newsletter", "Website", "Not at all"],
                ),
                QuestionSpec(
                    Kind.TEXT, "What would help you challenge or escalate when you need to?"
                ),
            ],
        ),
        Template(
            "csa-cse-confidence",
            "Knowledge and confidence in working with child sexual abuse and exploitation",
            "Please answer before and again after the training, so that the partnership can "
            "see whether it made a difference. It takes about 4 minutes.",
            [
                QuestionSpec(
                    Kind.LIKERT, "I can recognise the signs of child sexual abuse in the family."
                ),
                QuestionSpec(
                    Kind.LIKERT, "I can recognise the signs of child sexual exploitation."
                ),
                QuestionSpec(
                    Kind.LIKERT, "I feel confident talking with a child about sexual abuse."
                ),
                QuestionSpec(Kind.LIKERT, "I know how to refer a concern and to whom."),
                QuestionSpec(Kind.YES_NO, "Have you had training on this in the last 2 years?"),
                QuestionSpec(Kind.TEXT, "What else would help you in this work?"),
            ],
        ),
    ]
}

KIND_WORDS = {"likert": Kind.LIKERT, "single": Kind.SINGLE, "multiple": Kind.MULTIPLE}
KIND_WORDS |= {"yes_no": Kind.YES_NO, "yes/no": Kind.YES_NO, "text": Kind.TEXT}
MAX_QUESTIONS = 40


def parse_questions(text: str) -> list[QuestionSpec]:
    """The questions written one a line; every mistake is reported with its line number."""
    specs, problems = [], []
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    for number, line in lines:
        kind_word, colon, rest = line.partition(":")
        kind = KIND_WORDS.get(kind_word.strip().lower())
        parts = [p.strip() for p in rest.split("|")]
        question, options = parts[0], [p for p in parts[1:] if p]
        if not colon or kind is None:
            problems.append(
                f"Line {number}: start with likert, single, multiple, yes_no or text and a colon"
            )
        elif not question:
            problems.append(f"Line {number}: write the question after the colon")
        elif kind in (Kind.SINGLE, Kind.MULTIPLE) and len(options) < 2:
            problems.append(f"Line {number}: give at least two options, each after a |")
        elif len(question) > 500:
            problems.append(f"Line {number}: keep the question under 500 characters")
        else:
            keep = options if kind in (Kind.SINGLE, Kind.MULTIPLE) else []
            specs.append(QuestionSpec(kind, question, keep))
    if not lines:
        problems.append("Write at least one question")
    if len(lines) > MAX_QUESTIONS:
        problems.append(f"A survey can have at most {MAX_QUESTIONS} questions")
    if problems:
        raise ValidationError(problems)
    return specs


def questions_text(specs: list[QuestionSpec]) -> str:
    """The questions as a manager writes them (to start from a template or another run)."""
    names: dict[str, str] = {str(v): k for k, v in KIND_WORDS.items() if k != "yes/no"}
    return "\n".join(
        f"{names[s.kind]}: {s.text}" + "".join(f" | {o}" for o in s.options) for s in specs
    )
