"""The report's data is read in a fixed number of queries, however many reviews,
recommendations and actions the partnership has (the 100,000-child benchmark: 31)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assure.reports import build
from assure.reports.periods import Quarter
from assure.reports.tests.conftest import TODAY, at
from assure.reviews.models import Action, Recommendation, Review


def queries(partnership) -> int:
    with CaptureQueriesContext(connection) as captured:
        build.build(partnership, Quarter(2026, 3), TODAY)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_reviews_recommendations_or_actions(
    partnership, police, council, quarter_data
) -> None:
    before = queries(partnership)
    for n in range(3):
        review = Review.objects.create(
            partnership=partnership,
            review_type=Review.Type.LCSPR,
            pseudonym=f"Extra {n}",
            incident_known=date(2026, 5, 1),
            created_at=at(date(2026, 5, 2)),
        )
        for number in (1, 2):
            rec = Recommendation.objects.create(
                partnership=partnership, review=review, number=number, text="More."
            )
            rec.agencies.set([police, council])
            for agency in (police, council):
                Action.objects.create(
                    partnership=partnership,
                    recommendation=rec,
                    agency=agency,
                    description="Act",
                    due_date=date(2026, 9, 1),
                    created_at=at(date(2026, 5, 3)),
                )
    assert queries(partnership) == before
