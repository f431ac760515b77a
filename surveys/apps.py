from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys and scores"

    def ready(self):
        # The receivers connect on import; the tasks register, for surveys/enqueue.py
        # sends them by name.
        from surveys import tasks  # noqa: F401
        from surveys.counting import signals  # noqa: F401
