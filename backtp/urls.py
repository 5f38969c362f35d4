from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("backtp.pages.urls")),
    path("", include("backtp.catalog.urls")),
    path("where-does-it-hurt/", include("backtp.guide.urls")),
    path("accounts/", include("backtp.accounts.urls")),
    path("", include("backtp.journal.urls")),
    path("admin/", admin.site.urls),
]
