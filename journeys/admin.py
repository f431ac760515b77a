from django.contrib import admin

from journeys.models import Journey, Stage, Step


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    ordering = ["position"]


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state", "owner", "updated_at"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "description", "persona"]
    raw_id_fields = ["based_on", "owner"]
    inlines = [StageInline]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    ordering = ["position"]
    autocomplete_fields = ["touchpoint"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "journey", "position"]
    list_filter = ["journey"]
    search_fields = ["name", "journey__name"]
    list_select_related = ["journey"]
    inlines = [StepInline]
