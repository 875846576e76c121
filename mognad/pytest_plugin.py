"""Loaded by pytest before Django starts (`-p mognad.pytest_plugin` in pyproject.toml).

Tests need a secret key but never a real one, and must not depend on the developer's environment.
"""

import os

os.environ.setdefault("MOGNAD_SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("MOGNAD_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.pop("MOGNAD_DEBUG", None)
# Outside debug mode MOGNAD_SECURE defaults to on (HTTPS only); the test client and the browser
# tests' live server speak plain HTTP. The production behaviour is tested in fresh processes
# (mognad/tests/test_deploy_check.py) and through the production stack (mognad/tests/stack/).
os.environ["MOGNAD_SECURE"] = "false"
