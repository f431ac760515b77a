from django.urls import path

from surveys.asking import public_link_views, public_views, staff_views, views
from surveys.complaints import views as complaint_views
from surveys.customers import views as customer_views
from surveys.designer import views as designer_views
from surveys.digest import views as digest_views
from surveys.follow_ups import views as follow_up_views
from surveys.outreach import views as outreach_views
from surveys.telling import webhook_views

app_name = "surveys"

urlpatterns = [
    # Short on purpose: the link is read on phones and pasted from emails.
    path("s/<str:token>", views.answer, name="answer"),
    path("s/<str:token>/unsubscribe", views.unsubscribe, name="unsubscribe"),
    # A touchpoint's public link (printed as a QR code too), its kiosk and its widget.
    path("t/<str:token>", public_views.public_answer, name="public_answer"),
    path("t/<str:token>/kiosk", public_views.kiosk, name="kiosk"),
    path("t/<str:token>/widget", public_views.widget, name="widget"),
    path("interactions/import/", staff_views.upload_interactions, name="upload_interactions"),
    path("outbox/", staff_views.outbox, name="outbox"),
    path("touchpoints/<int:pk>/public/", public_link_views.public_link, name="public_link"),
    path(
        "touchpoints/<int:pk>/public/change",
        public_link_views.public_link_change,
        name="public_link_change",
    ),
    *(
        path(
            f"touchpoints/<int:pk>/public/qr.{kind}",
            public_link_views.public_link_qr,
            {"kind": kind},
            name=f"public_link_{kind}",
        )
        for kind in public_link_views.QR_FORMATS
    ),
    path(
        "touchpoints/<int:pk>/public/card",
        public_link_views.public_link_card,
        name="public_link_card",
    ),
    path("complaints/", complaint_views.complaint_list, name="complaints"),
    path("complaints/new/", complaint_views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint"),
    path("surveys/", designer_views.survey_list, name="surveys"),
    path("surveys/new/", designer_views.survey_edit, name="survey_create"),
    path("surveys/<int:pk>/", designer_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/preview", designer_views.survey_preview, name="survey_preview"),
    path(
        "surveys/<int:pk>/preview/page",
        designer_views.survey_preview_page,
        name="survey_preview_page",
    ),
    path("customers/", customer_views.customer_search, name="customers"),
    path("customers/<int:pk>/", customer_views.customer_detail, name="customer"),
    path("customers/<int:pk>/erase", customer_views.customer_erase, name="customer_erase"),
    path("my-work/", follow_up_views.my_work, name="my_work"),
    path("follow-ups/", follow_up_views.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:pk>/", follow_up_views.follow_up_detail, name="follow_up"),
    path("follow-ups/<int:pk>/contact", follow_up_views.log_contact, name="follow_up_contact"),
    path("follow-ups/<int:pk>/resolve", follow_up_views.resolve, name="follow_up_resolve"),
    path("follow-ups/<int:pk>/reopen", follow_up_views.reopen, name="follow_up_reopen"),
    path("follow-ups/<int:pk>/assign", follow_up_views.assign, name="follow_up_assign"),
    path("action-lists/", outreach_views.outreach_list, name="outreach_default"),
    path("action-lists/<str:name>/", outreach_views.outreach_list, name="outreach"),
    path(
        "action-lists/<str:name>/<int:customer_id>/done",
        outreach_views.outreach_done,
        name="outreach_done",
    ),
    path("digest/stop/<str:token>", digest_views.unsubscribe, name="digest_unsubscribe"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook"),
]
