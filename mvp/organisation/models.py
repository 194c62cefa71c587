"""Administration: one of the municipality's administrations (förvaltning)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin


class Administration(Audited, TimestampMixin, VersionedMixin, Base):
    """An administration of the municipality, e.g. "Barn- och utbildningsförvaltningen"."""

    __tablename__ = "administration"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def audit_label(self) -> str:
        return self.name
