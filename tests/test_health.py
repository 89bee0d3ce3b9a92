"""``/helse/``: the database decides the status; a cache outage is reported, not fatal."""

import json
import uuid

import pytest
from django.db import OperationalError

from core.middleware import CACHE_HEADER

pytestmark = pytest.mark.django_db


def _get(client):
    response = client.get("/helse/")
    return response, json.loads(response.content)


def test_healthy(client):
    for _ in range(2):
        response, body = _get(client)
        assert response.status_code == 200
        assert body == {"status": "ok", "database": "ok", "cache": "ok"}
        assert response["Content-Type"] == "application/json"
        assert "no-cache" in response["Cache-Control"]
        assert CACHE_HEADER not in response


def test_a_cache_outage_is_reported_without_failing(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",  # nothing listens there
            "KEY_PREFIX": f"heimplan-test-{uuid.uuid4()}",
        }
    }
    response, body = _get(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "cache": "unavailable"}
    assert "6390" not in response.content.decode()  # no addresses, no error text


def test_a_database_outage_is_503(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response, body = _get(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["database"] == "unavailable"
    assert "refused" not in response.content.decode()
    assert client.post("/helse/").status_code == 405
