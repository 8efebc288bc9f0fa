"""Writes for self-assessment: permission check first, then the transaction, then the audit
event. Improvement actions are ordinary actions of the round's review, so they follow
`reviews.lifecycle` and appear in the agency's actions like any other."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from assure.accounts.models import Agency, Partnership
from assure.core import audit
from assure.core.viewer import Viewer
from assure.reviews import services as reviews
from assure.reviews.evidence import CheckedFile, EvidenceRejected, check_file
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.selfassessment.frameworks import BUILT_IN
from assure.selfassessment.models import (
    ChallengeDecision,
    Framework,
    Rating,
    Round,
    Standard,
    StandardRating,
    Submission,
)


def ensure_builtin_frameworks(partnership: Partnership) -> None:
    """Version 1 of each built-in framework for the partnership, made once."""
    for built_in in BUILT_IN.values():
        if Framework.objects.filter(partnership=partnership, key=built_in.key).exists():
            continue
        with transaction.atomic():
            framework = Framework.objects.create(
                partnership=partnership, key=built_in.key, title=built_in.title
            )
            Standard.objects.bulk_create(
                Standard(framework=framework, number=n, title=title, description=text)
                for n, (title, text) in enumerate(built_in.standards, start=1)
            )


def new_framework_version(
    viewer: Viewer, framework: Framework, *, title: str, standards: Sequence[tuple[str, str]]
) -> Framework:
    """The partnership's edit of a framework, saved as its next version."""
    viewer.require("selfassessment", "manage", record_type="selfassessment.framework")
    if not standards:
        raise ValidationError({"standards": "Enter at least one standard"})
    with transaction.atomic():
        latest = (
            Framework.objects.filter(partnership_id=framework.partnership_id, key=framework.key)
            .order_by("-version")
            .first()
        )
        made = Framework.objects.create(
            partnership_id=framework.partnership_id,
            key=framework.key,
            title=title,
            version=(latest.version if latest else 0) + 1,
            based_on=framework,
            created_by=viewer.user,
        )
        Standard.objects.bulk_create(
            Standard(framework=made, number=n, title=t, description=d)
            for n, (t, d) in enumerate(standards, start=1)
        )
        audit.record(
            viewer,
            audit.Action.CREATE,
            made,
            summary=f"{title}: version {made.version} with {len(standards)} standards",
        )
        return made


def open_round(
    viewer: Viewer,
    *,
    name: str,
    framework: Framework,
    agencies: Sequence[Agency],
    due_date: date,
) -> Round:
    """Open a round: its review (type self-assessment) with one recommendation per standard,
    addressed to the round's agencies, and a submission for each agency."""
    viewer.require("selfassessment", "manage", record_type="selfassessment.round")
    partnership = viewer.required_partnership()
    if framework.partnership_id != partnership.pk:
        raise ValidationError({"framework": "Choose one of your partnership's frameworks"})
    if not agencies:
        raise ValidationError({"agencies": "Select the agencies that assess themselves"})
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies of your partnership"})
    with transaction.atomic():
        review = reviews.save_review(
            viewer,
            Review(),
            {
                "review_type": Review.Type.SELF_ASSESSMENT,
                "pseudonym": name,
                "title": f"Self-assessment: {name}",
                "status": Review.Status.IN_PROGRESS,
            },
        )
        for standard in framework.standards.all():
            reviews.save_recommendation(
                viewer,
                Recommendation(review=review),
                agencies=agencies,
                number=standard.number,
                text=f"{standard.title}: {standard.description}".rstrip(": "),
                to_partnership=False,
            )
        made = Round.objects.create(
            partnership=partnership,
            name=name,
            framework=framework,
            due_date=due_date,
            review=review,
            created_by=viewer.user,
        )
        Submission.objects.bulk_create(Submission(round=made, agency=a) for a in agencies)
        audit.record(
            viewer,
            audit.Action.CREATE,
            made,
            summary=f"{name}: {framework} for {len(agencies)} agencies, due {due_date:%-d %B %Y}",
        )
        return made


@dataclass(frozen=True)
class Rated:
    """An agency's rating of one standard, as its lead gives it."""

    rating: str
    commentary: str = ""
    evidence_link: str = ""
    evidence_note: str = ""
    file: UploadedFile | None = None


def _require_rate(viewer: Viewer, submission: Submission) -> None:
    viewer.require(
        "selfassessment",
        "rate",
        agency_id=submission.agency_id,
        record_type="selfassessment.submission",
        record_id=submission.pk,
    )


def save_ratings(
    viewer: Viewer,
    submission: Submission,
    ratings: dict[int, Rated],
    *,
    submit: bool = False,
    at: datetime | None = None,
) -> Submission:
    """Save the agency's ratings (by standard id); with `submit`, every standard must be rated
    and the submission goes to the learning group, after which it no longer changes. `at` is
    when it was submitted, for a self-assessment recorded later (the demo's past round); now
    by default. The audit event is dated when it is recorded, as every audit event is."""
    _require_rate(viewer, submission)
    standards = {s.pk: s for s in submission.round.framework.standards.all()}
    checked: dict[int, CheckedFile] = {}
    problems = {}
    for standard_id, given in ratings.items():
        if given.file is not None:  # every file checked before anything is written
            try:
                checked[standard_id] = check_file(given.file)
            except EvidenceRejected as error:
                problems[f"file_{standard_id}"] = str(error)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.submitted_at is not None:
            raise ValidationError(
                "This self-assessment has been submitted: it can no longer change."
            )
        existing = {r.standard_id: r for r in locked.ratings.all()}
        changes: dict[str, Any] = {}
        for standard_id, given in ratings.items():
            if standard_id not in standards or given.rating not in Rating.values:
                continue
            row = existing.get(standard_id) or StandardRating(
                submission=locked, standard_id=standard_id
            )
            before = row.rating
            row.rating = given.rating
            row.commentary = given.commentary
            row.evidence_link = given.evidence_link
            row.evidence_note = given.evidence_note
            if standard_id in checked and given.file is not None:
                kept = checked[standard_id]
                row.evidence_file.save(kept.stored_name, given.file, save=False)
                row.evidence_name = kept.original_name
                row.evidence_type = kept.content_type
                changes[f"standard {standards[standard_id].number} evidence"] = [
                    None,
                    f"{kept.original_name} (sha256 {kept.sha256})",
                ]
            row.save()
            existing[standard_id] = row
            if before != given.rating:
                changes[f"standard {standards[standard_id].number}"] = [before, given.rating]
        if submit:
            missing = [s.number for s in standards.values() if s.pk not in existing]
            if missing:
                raise ValidationError(
                    "Rate every standard before you submit: not yet rated "
                    + ", ".join(str(n) for n in sorted(missing))
                )
            locked.submitted_at = at or timezone.now()
            locked.submitted_by = viewer.user
            locked.save(update_fields=["submitted_at", "submitted_by"])
            changes["submitted"] = [None, locked.submitted_at.isoformat()]
        audit.record(viewer, audit.Action.UPDATE, locked, changes=changes)
        return locked


def add_improvement_action(
    viewer: Viewer,
    submission: Submission,
    *,
    standard: Standard,
    description: str,
    owner: Any,
    due_date: date,
) -> Action:
    """An improvement action the agency commits to: an action of the round's review, under the
    standard's recommendation, for the agency, not started. It then follows the lifecycle."""
    _require_rate(viewer, submission)
    if standard.framework_id != submission.round.framework_id:
        raise ValidationError({"standard": "Choose one of this round's standards"})
    if owner is not None and owner.agency_id != submission.agency_id:
        raise ValidationError({"owner": "The owner must work for your agency"})
    with transaction.atomic():
        recommendation = Recommendation.objects.get(
            review_id=submission.round.review_id, number=standard.number
        )
        action = Action.objects.create(
            partnership_id=submission.round.partnership_id,
            recommendation=recommendation,
            agency_id=submission.agency_id,
            description=description,
            owner=owner,
            due_date=due_date,
            success_measure=f"Standard {standard.number} ({standard.title}) fully met",
            status=ActionStatus.NOT_STARTED,
            updated_by=viewer.user,
            updated_at=timezone.now(),
        )
        audit.record(
            viewer,
            audit.Action.CREATE,
            action,
            summary=f"Improvement action of {submission} for standard {standard.number}",
            changes={"description": [None, description], "due_date": [None, str(due_date)]},
        )
        return action


@dataclass(frozen=True)
class Challenged:
    """The learning group's rating of one standard and why."""

    rating: str
    reason: str = ""


def challenge(
    viewer: Viewer,
    submission: Submission,
    decisions: dict[int, Challenged],
    *,
    at: datetime | None = None,
) -> None:
    """The learning group accepts or changes each rating (by standard id). A change needs a
    reason; the agency's own rating is kept beside the challenge's, and each decision in the
    ratings' history (a later challenge adds to it). `at` is when it was decided, for a
    challenge recorded later (the demo's past round); now by default, and never before the
    submission."""
    viewer.require(
        "selfassessment",
        "challenge",
        record_type="selfassessment.submission",
        record_id=submission.pk,
    )
    if submission.submitted_at is None:
        raise ValidationError("The agency has not submitted its self-assessment yet.")
    ratings = {r.standard_id: r for r in submission.ratings.select_related("standard")}
    problems = {}
    for standard_id, decision in decisions.items():
        row = ratings.get(standard_id)
        if row is None or decision.rating not in Rating.values:
            continue
        if decision.rating != row.rating and not decision.reason.strip():
            problems[f"reason_{standard_id}"] = (
                f"Say why standard {row.standard.number} is {Rating(decision.rating).label.lower()}"
                f" rather than {row.get_rating_display().lower()}"
            )
    if at is not None and at < submission.submitted_at:
        problems["at"] = "A challenge cannot be dated before the self-assessment was submitted"
    if problems:
        raise ValidationError(problems)
    now = at or timezone.now()
    with transaction.atomic():
        changes: dict[str, Any] = {}
        decisions_made: list[ChallengeDecision] = []
        for standard_id, decision in decisions.items():
            row = ratings.get(standard_id)
            if row is None or decision.rating not in Rating.values:
                continue
            changes[f"standard {row.standard.number}"] = [row.challenged_rating, decision.rating]
            row.challenged_rating = decision.rating
            row.challenge_reason = decision.reason.strip()
            row.challenged_by = viewer.user
            row.challenged_at = now
            row.save()
            decisions_made.append(
                ChallengeDecision(
                    rating=row,
                    decided=row.challenged_rating,
                    reason=row.challenge_reason,
                    decided_by=viewer.user,
                    decided_at=now,
                )
            )
        ChallengeDecision.objects.bulk_create(decisions_made)
        submission.challenged_at = now
        submission.save(update_fields=["challenged_at"])
        audit.record(viewer, audit.Action.UPDATE, submission, changes=changes)


def record_evidence_download(viewer: Viewer, rating: StandardRating) -> None:
    """A self-assessment's evidence file is for the partnership's assurance roles and the
    agency's own people, as an action's evidence is; each download is audited."""
    viewer.require(
        "evidence",
        "download",
        agency_id=rating.submission.agency_id,
        record_type="selfassessment.standardrating",
        record_id=rating.pk,
    )
    audit.record(viewer, audit.Action.VIEW, rating, summary=f"Downloaded {rating.evidence_name}")
