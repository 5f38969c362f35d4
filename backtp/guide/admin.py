from django.contrib import admin

from backtp.guide.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["id", "created", "user", "worst"]
    list_filter = ["created"]
    search_fields = ["id", "user__username", "worst"]
    readonly_fields = ["id", "created"]
