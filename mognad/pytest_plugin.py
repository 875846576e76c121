"""Loaded by pytest before Django starts (`-p mognad.pytest_plugin` in pyproject.toml).

Tests need a secret key but never a real one, and must not depend on the developer's environment.
"""

import os

os.environ.setdefault("MOGNAD_SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("MOGNAD_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.pop("MOGNAD_DEBUG", None)
