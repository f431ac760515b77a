from django.contrib import admin

from touchpoints.models import (
    Customer,
    Department,
    IdentityChange,
    ImprovementAction,
    Interaction,
    Staff,
    Touchpoint,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "colour"]
    search_fields = ["name"]
    filter_horizontal = ["heads"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "department", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["name", "email"]
    list_select_related = ["department"]
    raw_id_fields = ["user"]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "department", "audience", "surveyed", "effort_estimate"]
    list_filter = ["channel", "department", "audience", "surveyed"]
    search_fields = ["name", "description"]
    list_select_related = ["department"]
    filter_horizontal = ["supports"]
    fieldsets = [
        (None, {"fields": ["name", "description", "channel", "department", "audience"]}),
        (
            "Service standards",
            {
                "fields": [
                    "target_wait_seconds",
                    "target_response_seconds",
                    "target_resolution_seconds",
                    "target_first_contact_resolution",
                    "effort_estimate",
                ]
            },
        ),
        ("Survey policy", {"fields": ["surveyed", "survey", "survey_delay", "survey_cap_days"]}),
        ("Employee side", {"fields": ["supports"]}),
    ]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "external_ref", "segment", "is_prospect", "language"]
    list_filter = ["is_prospect", "segment", "language"]
    search_fields = ["email", "name", "external_ref"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "touchpoint", "customer", "outcome", "handled_by"]
    list_filter = ["outcome", "touchpoint__channel", "touchpoint__department"]
    search_fields = ["external_id", "customer__email", "touchpoint__name"]
    list_select_related = ["touchpoint", "customer", "handled_by"]
    raw_id_fields = ["customer", "handled_by"]
    date_hierarchy = "occurred_at"


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["title", "touchpoint", "status", "changed_on"]
    list_filter = ["status", "touchpoint__department"]
    search_fields = ["title", "description", "touchpoint__name"]
    list_select_related = ["touchpoint"]


@admin.register(IdentityChange)
class IdentityChangeAdmin(admin.ModelAdmin):
    """Decided on the identity changes page; here to look up, not to decide."""

    list_display = ["customer", "field", "value", "source", "created_at", "accepted"]
    list_filter = ["field", "accepted"]
    raw_id_fields = ["customer", "reported_by", "decided_by"]
    readonly_fields = ["created_at", "decided_at", "decided_by", "accepted"]
