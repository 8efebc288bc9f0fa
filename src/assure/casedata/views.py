"""The case data import page (system administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assure.casedata import services
from assure.casedata.contract import TABLES
from assure.casedata.forms import ImportForm
from assure.casedata.importer.run import ImportResult
from assure.casedata.models import ImportSnapshot
from assure.core.viewer import viewer_of


@require_http_methods(["GET", "POST"])
@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """The current snapshot and past imports; upload a new extract."""
    viewer = viewer_of(request)
    viewer.require("case_data", "import")
    try:
        partnership = viewer.partnership or services.partnership_named()
    except services.ExtractError as error:
        return render(
            request, "casedata/no_partnership.html", {"title": "Case data", "error": error}
        )
    form = ImportForm()
    result: ImportResult | None = None
    upload_error = ""
    if request.method == "POST":
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > services.MAX_UPLOAD_BYTES + 65536
        form = ImportForm(request.POST, request.FILES) if not too_big else ImportForm()
        if too_big:
            upload_error = "The file must be smaller than 200 MB"
        elif form.is_valid():
            try:
                result = services.import_upload(
                    partnership,
                    form.cleaned_data["extract"],
                    actor=viewer,
                    extract_date=form.cleaned_data["extract_date"],
                )
            except services.ExtractError as error:
                upload_error = str(error)
            if result is not None and result.ok:
                if result.already_imported:
                    messages.success(request, "This extract is already imported: nothing changed.")
                else:
                    summary = result.summary
                    messages.success(
                        request,
                        f"Extract imported: {summary['added']} rows added, "
                        f"{summary['changed']} changed, {summary['removed']} removed.",
                    )
                return HttpResponseRedirect(reverse("casedata:imports"))
    current = ImportSnapshot.current(partnership)
    return render(
        request,
        "casedata/imports.html",
        {
            "title": "Case data",
            "form": form,
            "result": result,
            "upload_error": upload_error,
            "current": current,
            "history": services.snapshot_history(partnership),
            "tables": TABLES,
        },
    )
