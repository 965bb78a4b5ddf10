"""Organisations and the people who act for them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.text import N_
from innovatieregister.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from innovatieregister.models.region import Region


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum: a VARCHAR with a named CHECK constraint, stored by value."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class OrganisationKind(StrEnum):
    INSURER = "insurer"  # zorgverzekeraar (concern)
    PROVIDER = "provider"  # zorgaanbieder
    MEDIATOR = "mediator"  # onafhankelijk bemiddelaar (NZa-achtig)
    MUNICIPALITY = "municipality"
    CARE_OFFICE = "care_office"  # zorgkantoor
    OPERATOR = "operator"  # beheerder van het register


ORGANISATION_KIND_LABELS = Labels({
    OrganisationKind.INSURER: N_("Zorgverzekeraar"),
    OrganisationKind.PROVIDER: N_("Zorgaanbieder"),
    OrganisationKind.MEDIATOR: N_("Bemiddelaar"),
    OrganisationKind.MUNICIPALITY: N_("Gemeente"),
    OrganisationKind.CARE_OFFICE: N_("Zorgkantoor"),
    OrganisationKind.OPERATOR: N_("Beheerder register"),
})


class Role(StrEnum):
    INSURER_STAFF = "insurer_staff"
    PROVIDER_STAFF = "provider_staff"
    MEDIATOR = "mediator"
    ADMIN = "admin"
    CO_FUNDER_STAFF = "co_funder_staff"  # municipality or care office (zorgkantoor)


ROLE_LABELS = Labels({
    Role.INSURER_STAFF: N_("Medewerker zorgverzekeraar"),
    Role.PROVIDER_STAFF: N_("Medewerker zorgaanbieder"),
    Role.MEDIATOR: N_("Bemiddelaar"),
    Role.ADMIN: N_("Beheerder"),
    Role.CO_FUNDER_STAFF: N_("Medewerker medefinancier (gemeente of zorgkantoor)"),
})

# Which kinds of organisation each role acts for; an admin may belong to any.
ROLE_ORGANISATION_KINDS: dict[Role, tuple[OrganisationKind, ...]] = {
    Role.INSURER_STAFF: (OrganisationKind.INSURER,),
    Role.PROVIDER_STAFF: (OrganisationKind.PROVIDER,),
    Role.MEDIATOR: (OrganisationKind.MEDIATOR,),
    Role.CO_FUNDER_STAFF: (OrganisationKind.MUNICIPALITY, OrganisationKind.CARE_OFFICE),
}


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, "organisation_kind"))
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Short stable code used in files and commands (e.g. "VGZ", "ZGT").
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    uzovi: Mapped[str | None] = mapped_column(sa.String(8))  # insurers, where known
    agb: Mapped[str | None] = mapped_column(sa.String(8))  # providers, where known
    # Providers: the region where they give care, where known (an adopted draft offers its own region's).
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    source: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    region: Mapped[Region | None] = relationship()

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KIND_LABELS[self.kind]  # in the reader's language (a Labels table)

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(limits.EMAIL), unique=True)
    name: Mapped[str] = mapped_column(sa.String(limits.NAME))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at log-out, password change or reset, disabling and re-enabling: every older session cookie
    # carries the old number and is refused (see get_id and the user loader).
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an administrator chose the password (creation, reset): the user must pick
    # their own before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The language of the pages and e-mail this user reads (innovatieregister.i18n.LANGUAGES).
    language: Mapped[str] = mapped_column(sa.String(2), default="nl", server_default="nl")

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="joined", innerjoin=True)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]  # in the reader's language (a Labels table)

    def __repr__(self) -> str:
        return f"<User {self.email}>"
