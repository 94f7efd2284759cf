"""Institutions' annual evaluation and subsidy (SPEC §5.5): dry run unless --commit."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluation.models import Grade
from evaluation.selectors import evaluate
from evaluation.services import evaluation_run


class Command(BaseCommand):
    help = "Evaluate every institution active in the year (excellent/good/poor) and compute its subsidy."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="the year (default: last year)")
        parser.add_argument("--commit", action="store_true", help="store the results (otherwise only print them)")

    def handle(self, *args, year, commit, **options):
        year = year or timezone.localdate().year - 1
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100")
        try:
            outcomes = evaluate(year)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        labels = dict(Grade.choices)
        self.stdout.write(f"{year} 年度机构评价：{len(outcomes)} 家机构")
        for o in outcomes:
            f, s = o.figures, o.subsidy
            self.stdout.write(
                f"  {f.name}  兑付 {f.redeemed_amount:,.2f}  收入 {f.service_income:,.2f}  "
                f"评分 {f.rating_mean if f.rating_mean is not None else '—'}（{f.rating_count}）  投诉 {f.complaints}  "
                f"→ {labels[o.grade]}  补助 {s['amount']:,.2f}"
                + (f"（{s['note']}）" if s["note"] else "")
                + "\n      "
                + "；".join(o.reasons)
            )
        total = sum((o.subsidy["amount"] for o in outcomes), start=0)
        self.stdout.write(f"补助合计 {total:,.2f} 元")
        if not commit:
            self.stdout.write("Dry run: nothing stored. Add --commit to store the results.")
            return
        try:
            results = evaluation_run(year=year, by=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"stored {len(results)} results for {year}")
