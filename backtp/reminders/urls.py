from django.urls import path

from backtp.reminders import views

app_name = "reminders"
urlpatterns = [
    path("accounts/settings/reminders/", views.settings_page, name="settings"),
    path("reminders/devices/", views.device_add, name="device_add"),
    path("reminders/devices/<int:device_id>/remove/", views.device_remove, name="device_remove"),
    path("reminders/devices/remove-all/", views.devices_remove_all, name="devices_remove_all"),
    path("reminders/devices/test/", views.devices_test, name="devices_test"),
    path("reminders/calendar.ics", views.calendar_download, name="calendar"),
    path("reminders/calendar/new/", views.feed_new, name="feed_new"),
    path("reminders/calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("reminders/calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
