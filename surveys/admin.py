from django.contrib import admin, messages

from surveys.asking.intake import invite
from surveys.models import (
    Complaint,
    FollowUp,
    Invitation,
    Response,
    SuppressedAddress,
    Survey,
    TouchpointDailyScore,
)
from touchpoints.admin import InteractionAdmin
from touchpoints.models import Interaction

# The admin is one of the three doors for interactions: a new one gets its invitation in
# the same transaction (the admin saves in one), as through the API and the CSV import.
admin.site.unregister(Interaction)


@admin.register(Interaction)
class InvitingInteractionAdmin(InteractionAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            return
        invitation, skipped = invite(obj, obj.customer)
        if invitation is None:
            messages.info(request, f"No survey invitation: {skipped}.")


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email", "note"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "audience",
        "anonymous",
        "is_active",
        "reminder_after_days",
        "expires_after_days",
    ]
    list_filter = ["audience", "anonymous", "is_active"]
    search_fields = ["name", "intro"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["interaction", "survey", "status", "due_at", "sent_at", "answered_at"]
    list_filter = ["status", "survey"]
    search_fields = ["interaction__customer__email", "interaction__external_id"]
    list_select_related = ["interaction__customer", "interaction__touchpoint", "survey"]
    raw_id_fields = ["interaction"]
    # The hash is useless to a person and must never be edited by hand.
    exclude = ["token_hash", "token_nonce"]
    date_hierarchy = "due_at"


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["submitted_at", "touchpoint", "expectation", "experience", "csat", "nps"]
    list_filter = ["touchpoint__department", "touchpoint__channel", "language"]
    search_fields = ["comment", "touchpoint__name"]
    list_select_related = ["touchpoint"]
    raw_id_fields = ["invitation"]
    date_hierarchy = "submitted_at"


@admin.register(TouchpointDailyScore)
class TouchpointDailyScoreAdmin(admin.ModelAdmin):
    list_display = ["day", "touchpoint", "responses", "gap_answered", "sum_gap", "nps_answered"]
    list_filter = ["touchpoint__department"]
    search_fields = ["touchpoint__name"]
    list_select_related = ["touchpoint"]
    date_hierarchy = "day"

    # Rollups are derived data: rebuilt by the workers, never edited by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["created_at", "response", "reason", "assigned_to", "status"]
    list_filter = ["status", "reason"]
    search_fields = ["notes", "response__comment"]
    raw_id_fields = ["response", "assigned_to"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["received_at", "touchpoint", "source", "status", "owner"]
    list_filter = ["status", "source", "touchpoint__department"]
    search_fields = ["text", "customer__email", "touchpoint__name"]
    list_select_related = ["touchpoint", "owner"]
    raw_id_fields = ["customer", "owner"]
    date_hierarchy = "received_at"
