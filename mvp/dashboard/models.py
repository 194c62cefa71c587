"""DataVersion: one counter that every change to the evaluation's data raises (cache key)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mvp.db import Base

# The counter lives in one row; the database, not an app server, holds it, so every server
# behind a load balancer sees the same version.
ROW_ID = 1


class DataVersion(Base):
    """The version of the data the evaluation is built from (see mvp.dashboard.version)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


# A fresh schema (tests, create_all) gets its one row at once, as the migration inserts it.
sa.event.listen(
    DataVersion.__table__,
    "after_create",
    sa.DDL(f"INSERT INTO data_version (id, version) VALUES ({ROW_ID}, 0)"),
)
