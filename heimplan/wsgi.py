"""
WSGI config for heimplan project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")

application = get_wsgi_application()

# Web requests only (gunicorn, runserver): a statement timeout on every database
# connection (core.runaway); migrations and management commands do not load this module.
from core.runaway import limit_web_statements  # noqa: E402 - needs the settings set up

limit_web_statements()
