from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tradelane.web"
    label = "web"
