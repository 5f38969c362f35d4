from django.urls import path
from django.views.generic import RedirectView

from backtp.journal import journal_views, views

app_name = "journal"
urlpatterns = [
    path("session/", views.timer, name="timer"),
    path("session/plan/", views.plan, name="plan"),
    path("session/plan/add/<slug:slug>/", views.plan_add, name="plan_add"),
    path(
        "session/plan/from-routine/<slug:slug>/",
        views.plan_from_routine,
        name="plan_from_routine",
    ),
    path("session/plan/time-to-move/", views.plan_move_time, name="plan_move_time"),
    path("session/plan/<int:index>/change/", views.plan_change, name="plan_change"),
    path("session/plan/<int:index>/move/<str:direction>/", views.plan_move, name="plan_move"),
    path("session/plan/<int:index>/remove/", views.plan_remove, name="plan_remove"),
    path("session/log/", views.log, name="log"),
    path("journal/", journal_views.journal, name="journal"),
    path("journal/progress/", journal_views.progress, name="progress"),
    # Where the calendar file used to be (reminders/ makes it now).
    path(
        "journal/reminders.ics",
        RedirectView.as_view(pattern_name="reminders:calendar"),
        name="reminders",
    ),
    path("journal/<uuid:session_id>/", journal_views.session_detail, name="session_detail"),
    # Beside the account's other exports (accounts/ has no such path, so it falls through).
    path("accounts/export/sessions.csv", journal_views.sessions_csv, name="sessions_csv"),
]
