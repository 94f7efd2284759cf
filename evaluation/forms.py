"""Forms of the centre's evaluation page."""

from __future__ import annotations

from django import forms

from evaluation.models import EvaluationRule
from evaluation.selectors import RULE_FIELDS


class EvaluationRuleForm(forms.ModelForm):
    class Meta:
        model = EvaluationRule
        fields = RULE_FIELDS


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, required=False, widget=forms.TextInput(attrs={"size": 30}))
