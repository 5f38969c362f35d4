from django.contrib import admin

from backtp.reminders.models import Device, Reminder, Schedule


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "mode", "time_zone", "updated"]
    search_fields = ["user__username", "user__email"]
    exclude = ["feed_token"]  # a secret: shown to its owner only


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created", "last_sent"]
    search_fields = ["user__username", "user__email"]
    fields = ("user", "name", "created", "last_sent")
    readonly_fields = fields


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "due_at", "status", "devices", "sent_at"]
    list_filter = ["status"]
    date_hierarchy = "due_at"
    readonly_fields = ["user", "due_at", "status", "devices", "sent_at"]
