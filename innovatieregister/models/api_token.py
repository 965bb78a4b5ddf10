"""Bearer tokens for the JSON API; only a hash is stored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.models.base import Base, UTCDateTime, utcnow
from innovatieregister.models.organisation import User


class TokenState(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"  # API_TOKEN_DAYS after creation
    REVOKED = "revoked"


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(limits.TOKEN_NAME))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown so a user can tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # API_TOKEN_DAYS after creation
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def state(self, now: datetime) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        return TokenState.EXPIRED if self.expires_at <= now else TokenState.LIVE

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
