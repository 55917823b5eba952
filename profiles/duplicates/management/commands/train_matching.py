"""`manage.py train_matching`: learn the duplicate rules' weights from the reviewers' verdicts.

Every merged pair and every "not a duplicate" in the queue teaches the scorer how much
each rule is worth in this desk (profiles/duplicates/calibration.py). The model is
stored with its date and the figures it was trained on and applies to every check from
then on; open pairs take it at the next full scan. `--dry-run` shows what it would learn,
`--defaults` puts the default weights back. Verdicts are never changed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from profiles.duplicates.calibration import TierFigures
from profiles.duplicates.rules import rule_rows
from profiles.duplicates.training import TrainingRefused, train, use_default_weights


class Command(BaseCommand):
    help = "Learn the duplicate rules' weights from the reviewers' merges and dismissals, and put them in force."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--dry-run", action="store_true", help="Show what training would learn; store nothing.")
        what.add_argument("--defaults", action="store_true", help="Put the default weights back in force.")

    def handle(self, *args, dry_run: bool, defaults: bool, **options) -> None:
        if defaults:
            use_default_weights()
            self.stdout.write("The default weights are in force again. Rescan to rescore open pairs:")
            self.stdout.write("  python manage.py find_duplicates --restart")
            return
        try:
            training = train(store=not dry_run)
        except TrainingRefused as error:
            raise CommandError(str(error)) from None
        write = self.stdout.write
        write(f"Verdicts: {training.merged:,} merged, {training.dismissed:,} not a duplicate")
        if training.unreadable:
            write(f"  ({training.unreadable:,} reviewed before reasons named their rule: not used)")
        write("Rule                                                    default  learned")
        for row in rule_rows(training.calibration):
            write(f"  {row.label:<54}{row.default:>7}  {row.learned:>7}")
        write("The likely tier on verdicts held out of training (5-fold cross-validation):")
        write(f"  default weights  {_tier(training.default)}")
        write(f"  learned weights  {_tier(training.learned)}")
        if dry_run:
            write("Dry run: nothing stored; the weights in force are unchanged.")
            return
        write("Stored and in force for every check from now on. Rescan to rescore open pairs:")
        write("  python manage.py find_duplicates --restart")


def _tier(figures: TierFigures) -> str:
    precision = "n/a" if figures.precision is None else f"{figures.precision:.3f}"
    recall = "n/a" if figures.recall is None else f"{figures.recall:.3f}"
    return f"shows {figures.shown:,} pairs, {figures.right:,} merged: precision {precision}, recall {recall}"
