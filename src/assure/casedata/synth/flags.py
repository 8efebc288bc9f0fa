"""Case flags (CSAFE: a child at risk of exploitation) and their reviews."""

from datetime import date

from assure.casedata.synth.base import ChildBase
from assure.casedata.synth.dates import iso


class CaseFlags(ChildBase):
    def _csafe(self, start_after: date) -> None:
        rng, syn, as_of = self.rng, self.syn, self.as_of
        start = self._known(start_after + syn._days(0, 20))
        if start is None:
            return
        end = self._known(start + syn._days(90, 500)) if rng.random() < 0.3 else None
        review: date | None
        if end is None:
            fresh = rng.random() < 0.6
            review = as_of - (syn._days(0, 85) if fresh else syn._days(100, 300))
        else:
            review = end - syn._days(0, 60)
        if review < start:
            review = None
        self._add(
            "assure_case_flags",
            {
                "flag_id": syn.ids.next("FLAG"),
                "flag_person_id": self.pid,
                "flag_code": "CSAFE",
                "flag_start_date": iso(start),
                "flag_end_date": iso(end),
                "flag_last_review_date": iso(review),
            },
        )
        self._seen(start, end, review)
        if end is None:
            self.open_business = True
