from django import forms
from django.utils import timezone

from portal.models import Article


class ArticleForm(forms.ModelForm):
    upload = forms.FileField(label="附件（PDF 或图片，可选）", required=False)
    remove_attachment = forms.BooleanField(label="删除现有附件", required=False)

    class Meta:
        model = Article
        fields = ["kind", "title", "summary", "body", "published", "published_on", "attachment_label"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "published_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        # Published without a date means today (as ``article_save`` does); set it here too, so
        # the model's "published has a date" constraint, checked by the form, holds.
        if data.get("published") and not data.get("published_on"):
            data["published_on"] = timezone.localdate()
            self.instance.published_on = data["published_on"]
        return data
