from django.contrib import admin
from django.core.exceptions import ValidationError

from portal import services
from portal.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """The centre's articles; saving goes through ``portal.services.article_save`` (the
    attachment is uploaded on the article's page, where it is checked by content)."""

    list_display = ("title", "kind", "published", "published_on", "updated_at")
    list_filter = ("kind", "published")
    search_fields = ("title", "body")
    fields = ("kind", "title", "summary", "body", "published", "published_on", "attachment_label")

    def has_module_permission(self, request):
        return services.may_edit_articles(request.user) and super().has_module_permission(request)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.ARTICLE_FIELDS if name in form.cleaned_data}
        try:
            saved = services.article_save(by=request.user, article=obj if change else None, data=data)
        except ValidationError as exc:  # full_clean already ran on the form; keep the message
            raise ValidationError(exc.messages) from exc
        obj.pk = saved.pk
