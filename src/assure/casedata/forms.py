"""The upload form for a case data extract."""

from django import forms

from assure.casedata.services import MAX_UPLOAD_BYTES
from assure.core.forms import BoundedDateField, GovukErrors


class ImportForm(GovukErrors, forms.Form):
    required_messages = {"extract": "Select the extract's .zip file"}

    extract = forms.FileField(
        label="Extract",
        help_text="A .zip file of the extract's CSV files (ssd_person.csv and the others), "
        "smaller than 200 MB.",
    )
    extract_date = BoundedDateField(
        label="Date the extract was taken",
        required=False,
        help_text="For example, 27 3 2026. Leave blank for today.",
    )

    def clean_extract(self) -> object:
        upload = self.cleaned_data["extract"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 200 MB")
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("The file must be a .zip file")
        return upload
