"""The Celery app. Broker from CELERY_BROKER_URL (redis://, amqp://) or, by default, the
no-server filesystem transport under var/broker (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tradelane")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
