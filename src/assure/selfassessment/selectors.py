"""Self-assessment reads, scoped to the viewer's partnership."""

from dataclasses import dataclass

from django.db.models import QuerySet

from assure.accounts.models import Agency, User
from assure.core.viewer import Viewer
from assure.reviews.models import Action
from assure.selfassessment.models import (
    Framework,
    Round,
    Standard,
    StandardRating,
    Submission,
)


def rounds_for(viewer: Viewer) -> QuerySet[Round]:
    viewer.require("selfassessment", "view", record_type="selfassessment.round")
    return Round.objects.filter(partnership_id=viewer.partnership_id).select_related("framework")


def round_for(viewer: Viewer, pk: int) -> Round | None:
    viewer.require("selfassessment", "view", record_type="selfassessment.round", record_id=pk)
    return rounds_for(viewer).filter(pk=pk).first()


def submission_for(viewer: Viewer, pk: int) -> Submission | None:
    viewer.require("selfassessment", "view", record_type="selfassessment.submission", record_id=pk)
    return (
        Submission.objects.select_related("round__framework", "agency", "submitted_by")
        .filter(round__partnership_id=viewer.partnership_id, pk=pk)
        .first()
    )


def my_submissions(viewer: Viewer) -> QuerySet[Submission]:
    """The viewer's agency's submissions, for its lead to rate (none for other roles)."""
    if viewer.agency_id is None or not viewer.can(
        "selfassessment", "rate", agency_id=viewer.agency_id
    ):
        return Submission.objects.none()
    return Submission.objects.filter(
        round__partnership_id=viewer.partnership_id, agency_id=viewer.agency_id
    ).select_related("round")


def frameworks_for(viewer: Viewer) -> list[Framework]:
    """The latest version of each of the partnership's frameworks."""
    viewer.require("selfassessment", "view", record_type="selfassessment.framework")
    latest: dict[str, Framework] = {}
    for framework in Framework.objects.filter(partnership_id=viewer.partnership_id).order_by(
        "key", "-version"
    ):
        latest.setdefault(framework.key, framework)
    return list(latest.values())


def framework_for(viewer: Viewer, pk: int) -> Framework | None:
    viewer.require("selfassessment", "view", record_type="selfassessment.framework", record_id=pk)
    return Framework.objects.filter(partnership_id=viewer.partnership_id, pk=pk).first()


def agencies_for(viewer: Viewer) -> QuerySet[Agency]:
    return Agency.objects.filter(partnership_id=viewer.partnership_id).order_by("name")


def ratings_of(submission: Submission) -> dict[int, StandardRating]:
    """The submission's ratings by standard id."""
    return {r.standard_id: r for r in submission.ratings.select_related("challenged_by")}


def owners_of(submission: Submission) -> QuerySet[User]:
    """The people of the agency who may own its improvement actions."""
    return User.objects.filter(agency_id=submission.agency_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def actions_of(viewer: Viewer, submission: Submission) -> QuerySet[Action]:
    """The submission's improvement actions: the agency's actions under the round's review."""
    return (
        viewer.actions()
        .filter(
            recommendation__review_id=submission.round.review_id, agency_id=submission.agency_id
        )
        .select_related("recommendation", "owner")
    )


@dataclass(frozen=True)
class Cell:
    """One agency's standard on the dashboard."""

    rating: StandardRating | None
    previous: str  # the previous round's final rating (challenge, else self), "" if none


@dataclass(frozen=True)
class Row:
    submission: Submission
    cells: list[Cell]


@dataclass(frozen=True)
class Dashboard:
    standards: list[Standard]
    rows: list[Row]
    previous: Round | None
    disagreements: int


def previous_round(round_: Round) -> Round | None:
    """The last round of the same framework (any version) opened before this one."""
    return (
        Round.objects.filter(
            partnership_id=round_.partnership_id,
            framework__key=round_.framework.key,
            created_at__lt=round_.created_at,
        )
        .order_by("-created_at")
        .first()
    )


def dashboard(round_: Round) -> Dashboard:
    """Agencies × standards: self-rating, challenge and the previous round's final rating,
    matched by standard number. Three queries, whatever the size."""
    standards = list(round_.framework.standards.all())
    previous = previous_round(round_)
    earlier: dict[tuple[int, int], str] = {}
    if previous is not None:
        for r in StandardRating.objects.filter(submission__round=previous).values(
            "submission__agency_id", "standard__number", "rating", "challenged_rating"
        ):
            key = (r["submission__agency_id"], r["standard__number"])
            earlier[key] = r["challenged_rating"] or r["rating"]
    ratings: dict[tuple[int, int], StandardRating] = {}
    for rating in StandardRating.objects.filter(submission__round=round_):
        ratings[(rating.submission_id, rating.standard_id)] = rating
    rows = []
    for submission in round_.submissions.select_related("agency"):
        cells = [
            Cell(
                ratings.get((submission.pk, s.pk)),
                earlier.get((submission.agency_id, s.number), ""),
            )
            for s in standards
        ]
        rows.append(Row(submission, cells))
    disagreements = sum(1 for r in ratings.values() if r.disagreed)
    return Dashboard(standards, rows, previous, disagreements)


def rating_with_evidence(viewer: Viewer, pk: int) -> StandardRating | None:
    """A rating of the viewer's partnership that has an evidence file (who may download it
    is the service's question: `evidence.download`, own agency or partnership)."""
    return (
        StandardRating.objects.select_related("submission")
        .filter(submission__round__partnership_id=viewer.partnership_id, pk=pk)
        .exclude(evidence_file="")
        .first()
    )


@dataclass(frozen=True)
class Standing:
    """How one agency that has submitted stands on one standard: its own rating and the
    learning group's, if it challenged it (both as words). `final` is the one that counts."""

    agency_id: int
    agency: str
    rating: str
    challenged: str

    @property
    def final(self) -> str:
        return self.challenged or self.rating


def standings(review_id: int) -> dict[int, list[Standing]]:
    """A self-assessment round's ratings by standard number (the number of its recommendation),
    from submitted self-assessments only (drafts are the agency's own); empty for any other
    review. One query."""
    found: dict[int, list[Standing]] = {}
    rows = (
        StandardRating.objects.filter(
            submission__round__review_id=review_id, submission__submitted_at__isnull=False
        )
        .order_by("standard__number", "submission__agency__name", "submission__agency_id")
        .values_list(
            "standard__number",
            "submission__agency_id",
            "submission__agency__name",
            "rating",
            "challenged_rating",
        )
    )
    for number, agency_id, agency, rating, challenged in rows:
        found.setdefault(number, []).append(Standing(agency_id, agency, rating, challenged))
    return found
