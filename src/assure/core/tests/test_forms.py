"""`narrow`: a form offers only the viewer's own records."""

import pytest
from django import forms

from assure.accounts.models import Agency
from assure.core.forms import GovukErrors, narrow


class ChooseAgency(GovukErrors, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    words = forms.CharField(required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        narrow(self, agency=agencies)


def test_a_choice_outside_the_viewers_records_is_refused(council, police) -> None:
    own = Agency.objects.filter(pk=council.pk)
    assert ChooseAgency({"agency": council.pk}, agencies=own).is_valid()
    form = ChooseAgency({"agency": police.pk}, agencies=own)
    assert not form.is_valid()
    assert form.errors["agency"] == ["Select agency from the list"]


def test_only_model_choice_fields_can_be_narrowed(council) -> None:
    with pytest.raises(TypeError, match="words is not a model choice field"):
        narrow(ChooseAgency(agencies=Agency.objects.all()), words=Agency.objects.all())
