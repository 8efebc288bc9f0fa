"""Issue 11: the to-do home page of an agency lead with 500 actions (target median under 150 ms)
and the progress report of a 12-recommendation review with 200 actions (HTML, under 1 s), with
3,000 actions in the partnership. The PDF of that report is timed too, for information.

The baseline is the cookies page on the same server: a page with no data, so the ratio says
what the data costs on top of serving any page.
"""

from pathlib import Path

from benchmarks.common import Client, assure, each_database, recovery_codes, served, temp_var

BUILD = """
import random
from datetime import timedelta
from django.utils import timezone
from assure import demo
from assure.accounts.models import Agency, User
from assure.reviews.models import (
    Action, ActionStatus, ActionUpdate, Evidence, Recommendation, Review,
)
S = ActionStatus
rng = random.Random(11)
today = timezone.localdate()
partnership = demo.partnership()
lead = User.objects.get(username="police")
learning = User.objects.get(username="learning")
police = lead.agency
others = list(Agency.objects.filter(partnership=partnership).exclude(pk=police.pk))
reviews = Review.objects.bulk_create(
    [Review(partnership=partnership, review_type="lcspr", pseudonym=f"C{i}",
            incident_known=today - timedelta(days=rng.randint(0, 400))) for i in range(25)]
)
recs = Recommendation.objects.bulk_create(
    [Recommendation(partnership=partnership, review=r, number=n, text="Recommendation text " * 8,
                    measures=["core_group_interval"] if n % 4 == 0 else [])
     for r in reviews for n in range(1, 13)]
)
reported = recs[:12]  # the first review: 12 recommendations, 200 actions
others_recs = recs[12:]

def due():
    return None if rng.random() < 0.1 else today + timedelta(days=rng.randint(-120, 120))

actions = []
for i in range(200):
    actions.append(Action(partnership=partnership, recommendation=reported[i % 12],
                          agency=police if i % 2 else rng.choice(others),
                          owner=lead if rng.random() < 0.8 else None, due_date=due(),
                          description="Deliver multi-agency training and audit its reach",
                          status=rng.choice(list(S))))
police_count = sum(1 for a in actions if a.agency_id == police.pk)
while police_count < 500:
    actions.append(Action(partnership=partnership, recommendation=rng.choice(others_recs),
                          agency=police, owner=lead if rng.random() < 0.8 else None,
                          due_date=due(), description="Audit strategy discussions " * 3,
                          status=rng.choice([S.NOT_STARTED, S.IN_PROGRESS, S.IN_PROGRESS])))
    police_count += 1
while len(actions) < 3000:
    actions.append(Action(partnership=partnership, recommendation=rng.choice(others_recs),
                          agency=rng.choice(others), due_date=due(),
                          description="Publish the protocol " * 3, status=rng.choice(list(S))))
actions = Action.objects.bulk_create(actions)
now = timezone.now()
updates = []
for a in actions:
    updates.append(ActionUpdate(partnership=partnership, action=a, narrative="Progress " * 20,
                                status=a.status, author=lead, kind="progress",
                                created_at=now - timedelta(days=10)))
    if a.status in (S.ASSURED, S.EMBEDDED):
        updates.append(ActionUpdate(partnership=partnership, action=a, kind="assured",
                                    narrative="Assured", evidence_examined="The audit " * 10,
                                    status=S.ASSURED, author=learning,
                                    created_at=now - timedelta(days=5)))
    if a.status == S.IN_PROGRESS and rng.random() < 0.2:
        updates.append(ActionUpdate(partnership=partnership, action=a, kind="sent_back",
                                    narrative="No audit sample", status=S.IN_PROGRESS,
                                    author=learning, created_at=now - timedelta(days=1)))
updates = ActionUpdate.objects.bulk_create(updates)
Evidence.objects.bulk_create(
    [Evidence(partnership=partnership, update=u, link="https://example.org/e")
     for u in updates if u.kind == "progress" and rng.random() < 0.5]
)
latest = {}
for u in updates:
    latest[u.action_id] = u
for a in actions:
    a.latest_update = latest[a.pk]
Action.objects.bulk_update(actions, ["latest_update"], batch_size=500)
print(reviews[0].pk, police_count, len(actions), len(updates))
"""


def measure(env: dict[str, str], var_dir: Path) -> tuple[list[str], dict[str, float]]:
    """Build the partnership, serve it, and time the baseline, to-do, report and PDF."""
    assure(env, "migrate", "-v", "0")
    assure(env, "collectstatic", "--no-input", "-v", "0")
    assure(env, "load_demo", "--children", "0")
    review, *counts = assure(env, "shell", "-c", BUILD).split()[-4:]
    password = (var_dir / "demo_password").read_text().strip()
    codes = recovery_codes(env, ["police", "learning"])
    with served(env) as url:
        lead, learning = Client(url), Client(url)
        lead.sign_in("police", password, codes["police"][0])
        learning.sign_in("learning", password, codes["learning"][0])
        figures = {
            "baseline": lead.median_ms("/cookies/"),
            "todo": lead.median_ms("/"),
            "report": learning.median_ms(f"/reviews/{review}/progress-report/", runs=10),
            "pdf": learning.median_ms(f"/reviews/{review}/progress-report.pdf", runs=3, warm=1),
        }
    return counts, figures


def main() -> None:
    with temp_var() as folder, each_database(Path(folder)) as databases:
        for label, env in databases:
            var_dir = Path(env["ASSURE_VAR_DIR"])
            counts, figures = measure(env, var_dir)
            print(
                f"\nTo-do and report benchmark on {label}: {' / '.join(counts)} "
                "police lead's actions / partnership actions / updates"
            )
            print(f"{'page':<34}{'median ms':>10}{'x baseline':>12}{'target ms':>11}")
            baseline = figures["baseline"]
            for name, value, target in [
                ("baseline (cookies page)", baseline, None),
                ("to-do home (500 actions)", figures["todo"], 150),
                ("progress report HTML (200 act.)", figures["report"], 1000),
                ("progress report PDF (info)", figures["pdf"], None),
            ]:
                verdict = "" if target is None else ("met" if value < target else "MISSED")
                print(
                    f"{name:<34}{value:>10.1f}{value / baseline:>12.1f}{target or '':>11}"
                    f"{verdict:>8}"
                )


if __name__ == "__main__":
    main()
