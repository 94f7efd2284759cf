"""The home page by role, the public landing page, and the centre's articles.

Why a ``portal`` app: a role's home is a to-do list that reads every app's queues (accounts'
certifications, the catalogue's items and bookings, the vouchers' contracts, redemptions and
batches, the evaluation's subsidies, the task queue's failures). ``accounts``, where the home
used to live, sits below all of them and may not import them; ``dashboards`` is a read model
of statistics. So the home and the public pages (policies, guides, notices, contact) live in
their own layer just under ``demo`` (``pyproject.toml``'s import-linter layers), which may read
every app's selectors and is imported by none of them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.actors import only
from mapsite import uploads
from mapsite.forms import apply_service_errors
from portal import selectors, services
from portal.forms import ArticleForm
from portal.models import Article, ArticleKind
from portal.todo import home_for

# The three article lists have their own paths: /info/policies/, /info/guides/, /info/news/.
KIND_SLUGS = {"policies": ArticleKind.POLICY, "guides": ArticleKind.GUIDE, "news": ArticleKind.NOTICE}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}
LIST_LIMIT = 100


@require_safe
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(
            request,
            "portal/landing.html",
            {
                "counts": selectors.landing_counts(),
                "notices": selectors.latest(ArticleKind.NOTICE, 5),
                "policies": selectors.latest(ArticleKind.POLICY, 3),
                "guides": selectors.latest(ArticleKind.GUIDE, 3),
            },
        )
    context = {
        "role": user.role,
        "organisation": user.organisation if user.organisation_id else None,
        "todo": home_for(user),
        "unread": user.notifications.filter(read_at__isnull=True).count(),
        "notices": selectors.latest(None, 3),
    }
    return render(request, "home.html", context)


@require_safe
def article_list(request, slug: str):
    kind = KIND_SLUGS.get(slug)
    if kind is None:
        raise Http404
    articles = selectors.articles_visible_to(request.user).filter(kind=kind)
    return render(
        request,
        "portal/article_list.html",
        {
            "articles": articles[:LIST_LIMIT],
            "kind": kind,
            "kind_label": ArticleKind(kind).label,
            "slug": slug,
            "kinds": [(s, ArticleKind(k).label) for s, k in KIND_SLUGS.items()],
            "can_edit": services.may_edit_articles(request.user),
        },
    )


@require_safe
def article_detail(request, pk: int):
    article = selectors.get_article_for_user(request.user, pk)
    return render(
        request,
        "portal/article_detail.html",
        {
            "article": article,
            "slug": SLUG_OF_KIND[article.kind],
            "can_edit": services.may_edit_articles(request.user),
        },
    )


@require_safe
def article_attachment(request, pk: int):
    article = selectors.get_article_for_user(request.user, pk)
    return uploads.serve(article.attachment, download_name=article.attachment_label or f"附件-{article.pk}")


def _edit(request, article: Article | None):
    if not services.may_edit_articles(request.user):
        raise PermissionDenied(only("编辑公开信息"))
    initial = {"kind": KIND_SLUGS.get(request.GET.get("kind", ""), ArticleKind.NOTICE)} if article is None else None
    form = ArticleForm(instance=article, initial=initial)
    status = 200
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES, instance=article)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.ARTICLE_FIELDS if name in form.cleaned_data}
            try:
                saved = services.article_save(
                    by=request.user,
                    article=article,
                    data=data,
                    attachment=form.cleaned_data.get("upload"),
                    remove_attachment=form.cleaned_data.get("remove_attachment", False),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("portal:article", pk=saved.pk)
        status = 400
    return render(request, "portal/article_form.html", {"form": form, "article": article}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request):
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    if not services.may_edit_articles(request.user):
        raise PermissionDenied(only("编辑公开信息"))
    return _edit(request, selectors.get_article_for_user(request.user, pk))


@require_safe
def contact(request):
    return render(
        request,
        "portal/contact.html",
        {"contacts": selectors.support_contacts(), "guides": selectors.latest(ArticleKind.GUIDE, 10)},
    )
