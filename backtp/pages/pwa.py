"""What the service worker keeps for offline use, and the version of it.

The worker (templates/pages/sw.js, static/js/service-worker.js) precaches the app's
shell, its static files and every catalogue page, in one cache named after
`cache_version()`: the catalogue's version and the static manifest's hash. An edit in the
catalogue or a deploy changes the worker's script, so the browser installs the new one
on the next visit, which fills a new cache and deletes the old.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse

from backtp.catalog import caching
from backtp.catalog.models import Muscle, Routine, Technique

# Content pages a visitor may want without a connection, besides the catalogue's.
PAGES = (
    "pages:home",
    "pages:offline",
    "pages:safety",
    "pages:tips",
    "pages:evidence",
    "pages:diagnoses",
    "catalog:muscle_list",
    "catalog:routine_list",
    "catalog:sources",
)
# Static files the pages use that are not in our own static folders.
LIBRARY_STATIC = ("django_htmx/htmx-2.min.js",)
# Personal pages, kept only in the device's own cache for the person (never precached).
PERSONAL = ("journal:timer", "journal:plan")


def own_static_files() -> list[str]:
    """Every file under STATICFILES_DIRS (our CSS, scripts and images), by static name."""
    names = []
    for entry in settings.STATICFILES_DIRS:
        root = Path(entry[1] if isinstance(entry, tuple) else entry)
        names += [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(names)


def static_names() -> list[str]:
    names = own_static_files() + list(LIBRARY_STATIC)
    if settings.DEBUG:  # django-htmx adds its error handler to pages in development
        names.append("django_htmx/django-htmx.js")
    return names


def static_version() -> str:
    """The collected static manifest's hash; in development (no manifest, files served
    by their own names) a hash of the files themselves."""
    if isinstance(staticfiles_storage, ManifestFilesMixin) and staticfiles_storage.manifest_hash:
        return staticfiles_storage.manifest_hash
    digest = hashlib.sha256()
    for entry in settings.STATICFILES_DIRS:
        root = Path(entry[1] if isinstance(entry, tuple) else entry)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def cache_version() -> str:
    return f"{caching.version()[:12]}-{static_version()[:12]}"


def page_urls() -> list[str]:
    """The content pages and every muscle, technique and routine page."""
    urls = [reverse(name) for name in PAGES]
    for model in (Muscle, Technique, Routine):
        urls += [item.get_absolute_url() for item in model.objects.only("slug").order_by("slug")]
    return urls


def precache() -> dict[str, list[str]]:
    """The URLs to keep: pages (per catalogue version) and hashed static files."""
    pages = caching.cached("pwa:pages", page_urls)
    return {"pages": pages, "static": [static(name) for name in static_names()]}


def personal_urls() -> list[str]:
    return [reverse(name) for name in PERSONAL]
