"""Run the task worker: e-mail and SMS of notifications, the daily voucher job, the
dashboards' refresh (README "The worker")."""

from django.core.management.base import BaseCommand

from notifications.queue import run_worker


class Command(BaseCommand):
    help = (
        "Run the task worker until SIGINT/SIGTERM: every queue and the periodic tasks, after "
        "putting back the jobs that dead workers left running. Several may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, help="jobs at once (default WORKER_CONCURRENCY)")
        parser.add_argument(
            "--once", action="store_true", help="run the jobs that are due, then exit (no periodic tasks wait)"
        )

    def handle(self, *args, concurrency, once, **options):
        worker_options = {"wait": not once, "periodic": not once}
        if concurrency:
            worker_options["concurrency"] = concurrency
        run_worker(**worker_options)
