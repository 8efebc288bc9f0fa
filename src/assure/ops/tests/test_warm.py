"""The web server is readied before its first request: views imported, templates compiled,
the chart renderer started."""

from django.template import engines

from assure.ops import gunicorn_conf


def test_the_master_process_compiles_every_page_template_before_forking() -> None:
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    environment.cache.clear()
    gunicorn_conf.when_ready(object())
    names = environment.list_templates(extensions=["html"])
    assert "core/home.html" in names
    assert len(environment.cache) >= len(names)
    assert gunicorn_conf.preload_app is True


def test_each_worker_starts_the_chart_renderer() -> None:
    gunicorn_conf.post_worker_init(object())  # draws a chart: raises if the renderer fails
