"""Load (or refresh) the catalogue from fixtures/: safe to run any number of times."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backtp.catalog.caching import batched_changes

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def catalog_fixture_paths(directory: Path = FIXTURES_DIR) -> list[Path]:
    """Fixtures in dependency order: vocabularies, one file per muscle, then what uses them."""
    heads = [directory / name for name in ("sources.json", "regions.json", "activities.json")]
    muscles = sorted((directory / "muscles").glob("*.json"))
    tails = [directory / name for name in ("routines.json", "safety.json")]
    return heads + muscles + tails


class Command(BaseCommand):
    help = (
        "Load the trigger-point catalogue from fixtures/. Rows are matched by their natural "
        "keys (slugs), so running it again updates them instead of adding duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixtures-dir", type=Path, default=FIXTURES_DIR)

    def handle(self, *args: object, fixtures_dir: Path, verbosity: int, **options: object) -> None:
        paths = catalog_fixture_paths(fixtures_dir)
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"Missing catalogue fixtures: {', '.join(missing)}")
        # One loaddata call: one transaction, and forward references between files
        # (a technique that treats points of a muscle loaded later) resolve at the end.
        # Cached pages are keyed on the catalogue's version: one new version for the load.
        with batched_changes():
            call_command("loaddata", *[str(path) for path in paths], verbosity=verbosity)
