from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from backtp.guide.summary import clinician_summary

urlpatterns = [
    path("", include("backtp.pages.urls")),
    path("", include("backtp.catalog.urls")),
    path("where-does-it-hurt/", include("backtp.guide.urls")),
    path("accounts/", include("backtp.accounts.urls")),
    # The clinician's summary is guide's (it reads the journal), at the journal's address.
    path("journal/summary/", clinician_summary, name="clinician_summary"),
    path("", include("backtp.reminders.urls")),
    path("", include("backtp.journal.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Ours, not Django's: they never read the request's body (backtp/core/middleware.py).
handler400 = "backtp.core.middleware.bad_request"
handler403 = "backtp.core.middleware.permission_denied"
handler404 = "backtp.core.middleware.page_not_found"
handler500 = "backtp.core.middleware.server_error"
