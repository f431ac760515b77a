from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys and scores"

    def ready(self):
        from surveys.counting import signals  # noqa: F401  (connects the receivers)
