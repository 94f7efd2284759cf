from django.core.management.base import BaseCommand, CommandError

from vouchers.ledger import ledger_problems


class Command(BaseCommand):
    help = (
        "Verify the voucher ledger's invariants (no negative balance, every voucher's value "
        "where its status says). Exit 1 on a problem."
    )

    def handle(self, *args, **options):
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s).")
        self.stdout.write("Ledger consistent.")
