"""Survey results as CSV or XLSX, with the same suppression as the page."""

from django.http import HttpResponse

from assure.audits.exports import table_response
from assure.reviews.exports import safe
from assure.surveys.selectors import Results

HEADERS = ["Question", "Answer", "Group", "Count", "Percent of respondents"]


def result_rows(results: Results) -> list[list[str]]:
    rows = []
    for result in results.questions:
        question = safe(str(result.question))
        for label, figures in result.rows:
            for column, figure in zip(result.columns, figures, strict=True):
                percent = "" if figure.percent is None else f"{figure.percent:.1f}"
                rows.append([question, safe(label), safe(column), str(figure.count), percent])
        for column, count in zip(result.columns, result.respondents, strict=True):
            rows.append([question, "Respondents", safe(column), str(count), ""])
    return rows


def response(results: Results, fmt: str) -> HttpResponse:
    name = f"survey-{results.survey.pk}-by-{results.by}"
    return table_response(HEADERS, result_rows(results), fmt, name)
