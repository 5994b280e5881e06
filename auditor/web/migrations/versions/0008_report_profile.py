"""The profile each report was audited under in a column of its own: the batch page reads each gap's tier
(its rule's severity under that profile) without reading the stored Report. Rows stored before are filled from
their JSON.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("profile", sa.String(100), nullable=True))   # no rebuild: AUTOINCREMENT kept
    op.execute("UPDATE reports SET profile = json_extract(data, '$.profile')")


def downgrade() -> None:
    with op.batch_alter_table("reports", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("profile")
