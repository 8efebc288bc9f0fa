"""A recommendation links to the live trackers that show whether the change has stuck."""

import re
from datetime import date

from django.urls import reverse

from assure.casedata.importer.run import import_tables
from assure.casedata.synth import generate
from assure.reviews import measures
from assure.reviews.forms import grouped_measures


def test_manager_links_a_measure_and_the_review_shows_its_figure(
    client, manager, review, recommendation, tmp_path
) -> None:
    client.force_login(manager)
    url = reverse("reviews:edit-recommendation", args=[review.pk, recommendation.pk])
    form = client.get(url).content.decode()
    assert "Core groups at most 6 weeks apart" in form
    # Grouped by kind, each group its own fieldset, the trackers first.
    trackers = form.index("Live measures: Trackers")
    grades = form.index("Live measures: Escalations")
    assert trackers < form.index("Core groups at most 6 weeks apart") < grades
    assert 'id="id_measures"' in form  # the error summary's link lands on the first box
    boxes = re.findall(r'id="(id_measures[^"]*)"', form)
    assert len(boxes) == len(set(boxes)) > 20
    response = client.post(
        url,
        {
            "number": 1,
            "text": recommendation.text,
            "to_partnership": "on",
            "measures": ["core_group_interval"],
            "version": recommendation.version,
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.measures == ["core_group_interval"]

    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Has the change stuck?" in page
    assert "no figure yet" in page

    generate(tmp_path, children=120, seed=5, as_of=date(2026, 10, 31))
    tables = {p.stem: p for p in tmp_path.glob("*.csv")}
    assert import_tables(review.partnership, tables, actor=None, extract_date=date(2026, 10, 31)).ok
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "against a target of 90%" in page


def test_the_form_groups_measures_under_their_kinds_heading(monkeypatch, partnership) -> None:
    """The heading is the registry's, whatever the measures' words say."""
    kind = measures.Kind(
        "drill:", "Fire drills", ("review", "view"), lambda pid: [("drill:1", "time to: exit")]
    )
    monkeypatch.setitem(measures.KINDS, kind.prefix, kind)
    groups = dict(grouped_measures(partnership.pk))
    assert next(iter(groups)) == "Trackers"
    assert groups["Fire drills"] == [("drill:1", "Time to: exit")]
    assert ("drill:1", "Fire drills: time to: exit") in measures.choices(partnership.pk)
