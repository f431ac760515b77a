from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    # Short on purpose: the link is read on phones and pasted from emails.
    path("s/<str:token>", views.answer, name="answer"),
    path("s/<str:token>/unsubscribe", views.unsubscribe, name="unsubscribe"),
]
