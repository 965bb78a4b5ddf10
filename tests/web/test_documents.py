"""Documents of an initiative (issue 10): the type told by the bytes, the size limit, the checksum,
a safe download, and the parties only."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.models import Document, DocumentContent
from tests.monitor_flows import LEAD, PDF, PROVIDER, outsider, running, xlsx
from tests.web.test_initiatives import _field_error


def _upload(client, initiative_id, content: bytes, name: str = "evaluatie.pdf", **fields):
    return client.post(f"/initiatieven/{initiative_id}/documenten", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name), **fields})


def _documents(app, db) -> list[tuple]:
    with app.app_context():
        return [(d.filename, d.content_type, d.size_bytes, d.sha256, d.title, d.kind.value)
                for d in db.session.scalars(sa.select(Document).order_by(Document.id))]


def test_an_upload_keeps_the_file_its_type_by_its_bytes_and_its_checksum(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(PROVIDER)
    content = xlsx()
    response = _upload(client, initiative_id, content, "../Metingen 2026.xlsx", title="Metingen 2026",
                       kind="evidence")
    assert response.status_code == 302
    assert _documents(app, demo) == [(
        "Metingen 2026.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        len(content), hashlib.sha256(content).hexdigest(), "Metingen 2026", "evidence")]
    page = client.get(f"/initiatieven/{initiative_id}/documenten").get_data(as_text=True)
    assert "Metingen 2026" in page and hashlib.sha256(content).hexdigest()[:12] in page


def test_a_download_is_an_attachment_never_sniffed(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    assert _upload(client, initiative_id, PDF, 'Rapport eind; 2028 (v2).pdf').status_code == 302
    with app.app_context():
        document_id = demo.session.scalar(sa.select(Document.id))
    auth.login(PROVIDER)
    response = client.get(f"/initiatieven/{initiative_id}/documenten/{document_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert '"Rapport eind_ 2028 (v2).pdf"' in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"MZ\x90\x00 a program", "rapport.pdf", "geen PDF, XLSX, DOCX of CSV"),
    (b"\x89PNG\r\n\x1a\n", "foto.png", "geen PDF, XLSX, DOCX of CSV"),
    (b"a;b\n1;2\n", "rapport.pdf", "eindigt op .pdf, maar de inhoud is CSV"),
    (b"", "leeg.pdf", "Het bestand is leeg."),
    (b"a" * (limits.DOCUMENT_BYTES_MAX + 1), "groot.csv", "te groot: hoogstens 10 MB"),
])
def test_a_refused_file_is_named_at_the_file_field_and_nothing_is_kept(app, client, auth, demo, content, name, message):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    response = _upload(client, initiative_id, content, name, title="x")
    assert response.status_code == 422
    assert message in _field_error(response.get_data(as_text=True), "file")
    assert _documents(app, demo) == []


def test_a_file_of_exactly_the_limit_is_kept(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    assert _upload(client, initiative_id, b"a" * limits.DOCUMENT_BYTES_MAX, "groot.csv").status_code == 302
    assert [d[2] for d in _documents(app, demo)] == [limits.DOCUMENT_BYTES_MAX]


def test_far_over_the_limit_the_request_itself_is_refused_in_dutch(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    response = _upload(client, initiative_id, b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1), "groot.csv")
    assert response.status_code == 413
    assert "hoogstens 10 MB" in response.get_data(as_text=True)
    assert _documents(app, demo) == []


def test_a_non_party_finds_neither_the_documents_nor_a_file(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    assert _upload(client, initiative_id, PDF).status_code == 302
    with app.app_context():
        document_id = demo.session.scalar(sa.select(Document.id))
    auth.login(outsider(app, demo, initiative_id))
    for path in (f"/initiatieven/{initiative_id}/documenten", f"/initiatieven/{initiative_id}/documenten/{document_id}",
                 f"/initiatieven/{initiative_id}/monitor"):
        assert client.get(path).status_code == 404, path
    assert _upload(client, initiative_id, PDF).status_code == 404
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(DocumentContent)) == 1


def test_a_crawl_finds_the_monitor_and_documents_for_a_party_and_nothing_for_anyone_else(app, client, auth, demo):
    """Marks planted in a measurement, the process log and a document: an insurer asked finds them all
    by following links from the start page; someone who is no party finds none, anywhere."""
    from innovatieregister.services import documents, monitoring
    from innovatieregister.services.documents import Upload
    from tests import flows
    from tests.monitor_flows import goal_id
    from tests.web.test_visibility import crawl

    initiative_id = running(app, demo)
    marks = ["MERK-meting-bron-1f2e", "MERK-logboek-77aa", "MERK-document-c0de"]
    with app.app_context():
        monitoring.record_measurement(flows.user(demo, PROVIDER), initiative_id, monitoring.MeasurementInput(
            goal_id(app, demo, initiative_id), "periodic", "2026-01-01", "2200", source=marks[0]), flows.TODAY)
        # By the provider: a funder's entry would tell Achmea, undecided, that it follows (test_visibility).
        monitoring.add_process_entry(flows.user(demo, PROVIDER), initiative_id, monitoring.ProcessEntryInput(
            "2026-01-01", "agreement", marks[1]), flows.TODAY)
        document_id = documents.upload(flows.user(demo, LEAD), initiative_id, Upload("x.pdf", PDF, marks[2])).id
    auth.login("achmea@demo.nl")
    seen = crawl(client, ["/"])
    assert all(any(mark in body for body in seen.values()) for mark in marks)
    assert f"/initiatieven/{initiative_id}/documenten/{document_id}" in seen
    auth.login(outsider(app, demo, initiative_id))
    seen = crawl(client, ["/", f"/initiatieven/{initiative_id}/monitor", f"/initiatieven/{initiative_id}/documenten",
                          f"/initiatieven/{initiative_id}/documenten/{document_id}"])
    assert [(path, mark) for path, body in seen.items() for mark in marks if mark in body] == []
