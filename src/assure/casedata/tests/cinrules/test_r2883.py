"""Rule 2883: More plans starting in the year than conferences held."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_plan_without_a_conference_in_the_file_fails_for_the_file():
    no_conference = episode(assessment(), s47(icpc="", not_required="true"), plan())
    assert failing("2883", child(no_conference), child(id="C2")) == [None]


def test_conference_recorded_with_the_episode_counts():
    older_layout = episode(plan(), icpc="2024-05-20")
    assert failing("2883", child(older_layout), child(id="C2")) == []
