"""A release's files as downloads: zip archives that are the same bytes every time."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings

from mognad.national.publishing.models import PublicationDraft

# A fixed time inside every archive, so the same files always give the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FOLDERS = ("opendata", "research")


def archive(draft: PublicationDraft, folder: str, name: str) -> bytes:
    """The files under `folder/` of the draft as a zip with the top folder `name/`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stored in draft.files.filter(name__startswith=f"{folder}/").order_by("name"):
            info = zipfile.ZipInfo(f"{name}/{stored.name.removeprefix(folder + '/')}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, bytes(stored.content))
    return buffer.getvalue()


def report_pdf(draft: PublicationDraft, language: str) -> bytes:
    """The status report as PDF, from the HTML frozen in the draft (the same HTML, the same PDF)."""
    from weasyprint import HTML

    html = draft.file(f"report/report-{language}.html").decode()
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
