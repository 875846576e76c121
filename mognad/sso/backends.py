"""The authentication backend that keeps passwords out where an organization turned them off.

It comes first in AUTHENTICATION_BACKENDS: for an address whose organization logs in only
through its identity provider it raises PermissionDenied, which stops Django's `authenticate`
before the password is checked. Otherwise it returns None and ModelBackend checks the password.
Sessions started by single sign-on name this backend (it loads users like ModelBackend).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from mognad.sso import providers

PATH = "mognad.sso.backends.SingleSignOnBackend"


class SingleSignOnBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if username and password is not None and providers.password_refused(username):
            raise PermissionDenied
        return None
