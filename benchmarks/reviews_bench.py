"""Issue: reviews overview and assurance queue, 50 reviews / 600 recommendations / 3,000 actions /
15,000 updates, median response on the demo server. Target: under 150 ms each.

The baseline is the cookies page on the same server: a page with no data, so the ratio says
what the data costs on top of serving any page.
"""

from pathlib import Path

from benchmarks.common import Client, assure, each_database, recovery_codes, served, temp_var

BUILD = """
import random
from datetime import date, timedelta
from django.utils import timezone
from assure import demo
from assure.accounts.models import Agency, User
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Recommendation, Review
rng = random.Random(7)
partnership = demo.partnership()
agencies = list(Agency.objects.filter(partnership=partnership))
author = User.objects.get(username="manager")
reviews = Review.objects.bulk_create(
    [Review(partnership=partnership, review_type="lcspr", pseudonym=f"C{i}") for i in range(50)]
)
recs = Recommendation.objects.bulk_create(
    [Recommendation(partnership=partnership, review=r, number=n, text="Recommendation text " * 5)
     for r in reviews for n in range(1, 13)]
)
statuses = list(ActionStatus)
actions = Action.objects.bulk_create(
    [Action(partnership=partnership, recommendation=rec, agency=rng.choice(agencies),
            description="Deliver multi-agency training and audit its reach " * 2,
            due_date=date(2026, 1, 1) + timedelta(days=rng.randint(-300, 300)),
            status=rng.choice(statuses))
     for rec in recs for _ in range(5)]
)
now = timezone.now()
updates = ActionUpdate.objects.bulk_create(
    [ActionUpdate(partnership=partnership, action=a, narrative="Progress " * 20, status=a.status,
                  author=author, created_at=now - timedelta(days=5 - k))
     for a in actions for k in range(5)]
)
latest = {u.action_id: u for u in updates}
for a in actions:
    a.latest_update = latest[a.pk]
Action.objects.bulk_update(actions, ["latest_update"], batch_size=500)
print(len(reviews), len(recs), len(actions), len(updates))
"""


def measure(env: dict[str, str], var_dir: Path) -> tuple[list[str], float, float, float]:
    """Build the partnership, serve it, and time the baseline, overview and queue pages."""
    assure(env, "migrate", "-v", "0")
    assure(env, "collectstatic", "--no-input", "-v", "0")
    assure(env, "load_demo", "--children", "0")
    counts = assure(env, "shell", "-c", BUILD).split()[-4:]
    password = (var_dir / "demo_password").read_text().strip()
    codes = recovery_codes(env, ["manager", "learning"])
    with served(env) as url:
        manager, learning = Client(url), Client(url)
        manager.sign_in("manager", password, codes["manager"][0])
        learning.sign_in("learning", password, codes["learning"][0])
        baseline = manager.median_ms("/cookies/")
        overview = manager.median_ms("/reviews/")
        queue = learning.median_ms("/reviews/actions/awaiting-assurance/")
    return counts, baseline, overview, queue


def main() -> None:
    with temp_var() as folder, each_database(Path(folder)) as databases:
        for label, env in databases:
            var_dir = Path(env["ASSURE_VAR_DIR"])
            counts, baseline, overview, queue = measure(env, var_dir)
            print(
                f"\nReviews benchmark on {label}: {' / '.join(counts)} "
                "reviews / recommendations / actions / updates"
            )
            print(f"{'page':<28}{'median ms':>10}{'x baseline':>12}{'target ms':>11}")
            for name, value, target in [
                ("baseline (cookies page)", baseline, None),
                ("partnership overview", overview, 150),
                ("awaiting assurance queue", queue, 150),
            ]:
                verdict = "" if target is None else ("met" if value < target else "MISSED")
                print(
                    f"{name:<28}{value:>10.1f}{value / baseline:>12.1f}{target or '':>11}"
                    f"{verdict:>8}"
                )


if __name__ == "__main__":
    main()
