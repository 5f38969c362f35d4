from django.contrib import admin

from backtp.catalog.models import (
    AggravatingActivity,
    BodyRegion,
    Muscle,
    RedFlag,
    ReferralZone,
    Routine,
    RoutineStep,
    Source,
    Technique,
    TechniqueStep,
    TriggerPoint,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "author", "year", "kind"]
    list_filter = ["kind"]
    search_fields = ["key", "title", "author", "note"]


@admin.register(BodyRegion)
class BodyRegionAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "side", "view", "group", "order"]
    list_filter = ["side", "view", "group"]
    search_fields = ["slug", "name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AggravatingActivity)
class AggravatingActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class TriggerPointInline(admin.StackedInline):
    model = TriggerPoint
    extra = 0
    fields = [
        "slug",
        "name",
        "locate",
        "landmark",
        "region",
        ("view", "x", "y"),
        "order",
        "sources",
        ("prior", "prior_basis"),
        "prior_sources",
    ]
    autocomplete_fields = ["region", "sources", "prior_sources"]
    show_change_link = True


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "order", "professional_only"]
    list_filter = ["area", "professional_only", "aggravating_activities"]
    search_fields = ["name", "slug", "other_names", "description", "location"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["aggravating_activities", "sources"]
    inlines = [TriggerPointInline]


class ReferralZoneInline(admin.TabularInline):
    model = ReferralZone
    extra = 1
    autocomplete_fields = ["region", "sources"]


@admin.register(TriggerPoint)
class TriggerPointAdmin(admin.ModelAdmin):
    list_display = ["name", "muscle", "region", "view", "x", "y", "landmark", "prior"]
    list_editable = ["prior"]
    list_filter = ["muscle", "prior", "zones__kind", "region__group"]
    list_select_related = ["muscle", "region"]
    search_fields = ["name", "slug", "locate", "landmark", "muscle__name", "prior_basis"]
    autocomplete_fields = ["muscle", "region", "sources", "prior_sources"]
    inlines = [ReferralZoneInline]


@admin.register(ReferralZone)
class ReferralZoneAdmin(admin.ModelAdmin):
    list_display = ["trigger_point", "region", "kind"]
    list_filter = ["kind", "region__group", "trigger_point__muscle"]
    list_select_related = ["trigger_point__muscle", "region"]
    search_fields = ["trigger_point__name", "trigger_point__muscle__name", "region__name"]
    autocomplete_fields = ["trigger_point", "region", "sources"]


@admin.register(TechniqueStep)
class TechniqueStepAdmin(admin.ModelAdmin):
    list_display = ["technique", "number", "text"]
    list_filter = ["technique__tool", "technique__position"]
    list_select_related = ["technique"]
    search_fields = ["text", "technique__name"]
    autocomplete_fields = ["technique"]


class TechniqueStepInline(admin.TabularInline):
    model = TechniqueStep
    extra = 1


@admin.register(Technique)
class TechniqueAdmin(admin.ModelAdmin):
    list_display = ["name", "tool", "position", "method", "dose", "discreet"]
    list_filter = ["tool", "position", "method", "spot", "movement", "discreet", "per_side"]
    search_fields = ["name", "slug", "summary", "trigger_points__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["trigger_points", "sources"]
    inlines = [TechniqueStepInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "summary",
                    "trigger_points",
                    ("tool", "position", "method"),
                    ("spot", "movement"),
                    "discreet",
                    "order",
                    "sources",
                ]
            },
        ),
        (
            "Dose, as its sources give it",
            {
                "description": "Each dose is a range: its lowest and highest value, or the same "
                "number twice when the source gives one. Leave both empty when it does not apply.",
                "fields": [
                    ("minutes_per_side_min", "minutes_per_side_max"),
                    "per_side",
                    ("hold_seconds_min", "hold_seconds_max"),
                    ("repetitions_min", "repetitions_max"),
                    ("strokes_min", "strokes_max"),
                    ("times_per_day_min", "times_per_day_max"),
                ],
            },
        ),
        ("How hard, and care", {"fields": ["pressure", "cautions"]}),
    ]

    @admin.display(description="Dose")
    def dose(self, technique: Technique) -> str:
        return technique.dosage


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 1
    autocomplete_fields = ["technique"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["name", "how_often", "order"]
    search_fields = ["name", "slug", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]
    inlines = [RoutineStepInline]

    @admin.display(description="How often")
    def how_often(self, routine: Routine) -> str:
        return routine.per_day_note()


@admin.register(RoutineStep)
class RoutineStepAdmin(admin.ModelAdmin):
    list_display = ["routine", "number", "technique", "side", "duration_seconds", "rest_seconds"]
    list_filter = ["routine", "side"]
    list_select_related = ["routine", "technique"]
    search_fields = ["routine__name", "technique__name", "note"]
    autocomplete_fields = ["routine", "technique"]


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    list_display = ["question", "level", "excludes_area", "order"]
    list_filter = ["level", "excludes_area"]
    search_fields = ["slug", "question", "advice"]
    prepopulated_fields = {"slug": ["question"]}
    filter_horizontal = ["sources"]
