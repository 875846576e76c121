"""The privacy app's pages: the notices, cookies and diagnostics (notices.py); offboarding and
data-subject requests (lifecycle.py)."""
