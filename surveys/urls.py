from django.urls import path

from surveys.asking import staff_views, views
from surveys.complaints import views as complaint_views
from surveys.telling import webhook_views

app_name = "surveys"

urlpatterns = [
    # Short on purpose: the link is read on phones and pasted from emails.
    path("s/<str:token>", views.answer, name="answer"),
    path("s/<str:token>/unsubscribe", views.unsubscribe, name="unsubscribe"),
    path("interactions/import/", staff_views.upload_interactions, name="upload_interactions"),
    path("outbox/", staff_views.outbox, name="outbox"),
    path("complaints/", complaint_views.complaint_list, name="complaints"),
    path("complaints/new/", complaint_views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook"),
]
