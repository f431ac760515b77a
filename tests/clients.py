"""The test client as production serves requests: survey links through the survey
middleware stack, every other path through the staff one (lib/handlers.py)."""

from django.test import Client
from django.test.client import ClientHandler

from lib.handlers import HandlerByPath, SurveyStack


class SurveyClientHandler(SurveyStack, ClientHandler):
    pass


class ClientByPath(Client):
    def __init__(self, enforce_csrf_checks=False, **defaults):
        super().__init__(enforce_csrf_checks, **defaults)
        self.handler = HandlerByPath(
            staff=self.handler, survey=SurveyClientHandler(enforce_csrf_checks)
        )
