"""Forms of the centre's evaluation page (the dashboards' filters are parsed in filters.py)."""

from __future__ import annotations

from django import forms

from dashboards.evaluation import RULE_FIELDS
from dashboards.models import EvaluationRule


class EvaluationRuleForm(forms.ModelForm):
    class Meta:
        model = EvaluationRule
        fields = RULE_FIELDS


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, required=False, widget=forms.TextInput(attrs={"size": 30}))
