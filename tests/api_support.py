"""Calling the REST API in tests: a client carrying a personal token, as other software would."""

from __future__ import annotations

import json

from django.test import Client

from nongthon.api import tokens
from nongthon.api.models import Scope

API = "/api/v1"


class ApiClient:
    def __init__(self, secret: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(API + path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, data, content_type: str):
        body = data if isinstance(data, str | bytes) else json.dumps(data, default=str)
        return getattr(self.client, method)(
            API + path, body, content_type=content_type, headers=self.headers
        )

    def post(self, path: str, data=None, content_type: str = "application/json"):
        return self._send("post", path, data if data is not None else {}, content_type)

    def put(self, path: str, data=None, content_type: str = "application/json"):
        return self._send("put", path, data if data is not None else {}, content_type)

    def patch(self, path: str, data=None):
        return self._send("patch", path, data if data is not None else {}, "application/json")

    def delete(self, path: str):
        return self.client.delete(API + path, headers=self.headers)


def token_for(user, scope: str = Scope.WRITE) -> str:
    return tokens.create_token(user, name=f"test {scope}", scope=scope).secret


def api_as(user, scope: str = Scope.WRITE) -> ApiClient:
    return ApiClient(token_for(user, scope))


def error_code(response) -> str:
    return response.json()["code"]
