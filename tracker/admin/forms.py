from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import Evidence, StatusChange
from tracker.status import history

from .locks import LockedCycleFormMixin


class EvidenceForm(LockedCycleFormMixin, forms.ModelForm):
    class Meta:
        model = Evidence
        fields = "__all__"


class StatusChangeForm(forms.ModelForm):
    """A change's basis may be left to the rule (docs/domain.md "Basis"): *stated* when it
    cites evidence, else the editors' *judgement*."""

    basis = forms.ChoiceField(
        label=_("basis"),
        choices=[("", _("— by the rule: stated when citing evidence, else judgement")), *StatusChange.Basis.choices],
        required=False,
    )

    class Meta:
        model = StatusChange
        fields = "__all__"

    def clean_basis(self):
        return self.cleaned_data.get("basis") or history.default_basis(self.cleaned_data.get("evidence"))
