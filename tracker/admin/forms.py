from django import forms

from tracker.models import Evidence

from .locks import LockedCycleFormMixin


class EvidenceForm(LockedCycleFormMixin, forms.ModelForm):
    class Meta:
        model = Evidence
        fields = "__all__"
