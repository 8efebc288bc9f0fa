"""A web worker is readied before its first request: views imported, templates compiled."""

from django.template import engines

from assure.ops import gunicorn_conf
from assure.ops.warm import warm_process


def test_warming_compiles_every_page_template_and_draws_a_chart() -> None:
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    environment.cache.clear()
    took = warm_process()
    assert set(took) == {"views", "templates", "charts"}
    names = environment.list_templates(extensions=["html"])
    assert "core/home.html" in names
    assert len(environment.cache) >= len(names)


def test_gunicorn_readies_each_worker_before_it_takes_requests() -> None:
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    environment.cache.clear()
    gunicorn_conf.post_worker_init(object())
    assert len(environment.cache) >= len(environment.list_templates(extensions=["html"]))
