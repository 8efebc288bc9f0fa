from typing import Any

from django.apps import AppConfig
from django.db import transaction


def check_measures_after_import(sender: Any, snapshot: Any, **kwargs: Any) -> None:
    """A new extract may show an embedded action's measure slipping: check once it is saved."""
    from assure.reviews.services import check_embedded_measures

    transaction.on_commit(lambda: check_embedded_measures(snapshot.partnership))


class ReviewsConfig(AppConfig):
    name = "assure.reviews"
    label = "reviews"
    verbose_name = "Reviews, recommendations and action plans"

    def ready(self) -> None:
        from assure.casedata.signals import snapshot_imported

        snapshot_imported.connect(check_measures_after_import, dispatch_uid="reviews-slips")
