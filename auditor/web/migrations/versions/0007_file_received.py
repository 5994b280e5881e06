"""When each file was received (uploaded), apart from when it was audited: a queue or an audit again must not
make a body late. Files stored before keep NULL and count from their report's row.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("files", sa.Column("created_at", sa.DateTime, nullable=True))   # no rebuild: AUTOINCREMENT kept


def downgrade() -> None:
    with op.batch_alter_table("files", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("created_at")
