"""Documents of an initiative (issue 10): evaluation reports and other evidence as files.

Uploaded by the lead and the involved providers (policies.works_on); kept only when their bytes
are a PDF, XLSX, DOCX or CSV (domain.documents), with a SHA-256 checksum; seen by the
initiative's parties only (visibility.sees_documents).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain import documents as files
from innovatieregister.domain.monitoring import DocumentKind
from innovatieregister.domain.text import N_
from innovatieregister.extensions import db
from innovatieregister.i18n import translated
from innovatieregister.labels import label
from innovatieregister.models import Document, DocumentContent, Initiative, User
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import Invalid, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.monitoring import notify_parties, visible_initiative, writable_initiative
from innovatieregister.services.notifications import Said

UPLOADERS = N_("Alleen de leidende verzekeraar en de betrokken zorgaanbieders voegen documenten toe.")


@dataclass
class Upload:
    filename: str
    content: bytes
    title: str = ""
    kind: str = DocumentKind.OTHER.value


def upload(user: User, initiative_id: int, data: Upload) -> Document:
    """Keep a file as a document of the initiative; Invalid (at `file`, `title`, `kind`) otherwise."""
    with write_transaction():
        initiative = writable_initiative(user, initiative_id, lambda i: policies.works_on(user, i), UPLOADERS)
        errors: dict[str, list[str]] = {}
        try:
            file_type = files.check_upload(data.filename, data.content)
        except files.Refused as refused:
            errors["file"] = [translated(refused.args[0])]
        try:
            kind = DocumentKind(data.kind or DocumentKind.OTHER.value)
        except ValueError:
            errors["kind"] = [_("Kies een soort: %(kinds)s.", kinds=", ".join(label(k).lower() for k in DocumentKind))]
        title = limits.checked_text(data.title, limits.TITLE, "title", errors, _("De titel"))
        if errors:
            raise Invalid(_("Het document is niet opgeslagen."), errors)
        filename = files.safe_filename(data.filename, file_type)
        document = Document(initiative_id=initiative.id, kind=kind, title=title or filename, filename=filename,
                            content_type=file_type.content_type, size_bytes=len(data.content),
                            sha256=files.sha256(data.content), uploaded_by_id=user.id,
                            organisation_id=user.organisation_id)
        db.session.add(document)
        db.session.flush()
        db.session.add(DocumentContent(document_id=document.id, content=data.content))
        record(Actor(user=user), "document.upload", document, after={
            "initiative": initiative.id, "title": document.title, "filename": filename, "kind": kind.value,
            "content_type": document.content_type, "size_bytes": document.size_bytes, "sha256": document.sha256})
        notify_parties(initiative, user, Said("Nieuw document bij '%(title)s': %(document)s.",
                                              title=initiative.title, document=document.title),
                       f"/initiatieven/{initiative.id}/documenten")
    return document


@dataclass
class Documents:
    initiative: Initiative
    page: Page
    may_upload: bool


def list_for(user: User, initiative_id: int, page: int = 1, per_page: int = PER_PAGE,
             cursor: Cursor | None = None) -> Documents:
    """One page of the initiative's documents, newest first (never their bytes), and whether the
    user may add one; NotFound for a non-party."""
    initiative, asked = visible_initiative(user, initiative_id)
    if not visibility.sees_documents(user, initiative, asked):
        raise NotFound(_("Dit initiatief bestaat niet."))
    # Only a party gets here, and a party sees every document of the initiative.
    return Documents(initiative, paginate(
        sa.select(Document).where(Document.initiative_id == initiative_id).options(joinedload(Document.organisation)),
        page, per_page, order=(Document.created_at, Document.id), descending=True, cursor=cursor),
        policies.works_on(user, initiative))


def content_of(user: User, document_id: int) -> tuple[Document, bytes]:
    """A document and its bytes, for a party of its initiative; NotFound for anyone else."""
    row = db.session.execute(
        sa.select(Document, DocumentContent.content).join(DocumentContent)
        .where(Document.id == document_id, visibility.document_clause(user))).first()
    if row is None:
        raise NotFound(_("Dit document bestaat niet."))
    return row[0], row[1]
