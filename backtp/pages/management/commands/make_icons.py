"""Draw the app's PNG icons into static/img/ (run once after changing the mark; the
files are committed)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from backtp.pages.icons import ICONS, pixels, png

OUT = Path(settings.BASE_DIR) / "static" / "img"


class Command(BaseCommand):
    help = "Draw the web app manifest's PNG icons (any and maskable, 192 and 512 px)."

    def handle(self, *args: object, **options: object) -> None:
        for icon in ICONS:
            path = OUT / icon.name
            path.write_bytes(png(pixels(icon)))
            self.stdout.write(f"{path.relative_to(settings.BASE_DIR)}: {path.stat().st_size} bytes")
