"""Second rounds and year-over-year links: a file may revise an earlier report of its batch (round 2), and a
report may be linked by hand to its earlier report where the body's name is too generic to match.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("files") as batch:
        batch.add_column(sa.Column("revises_id", sa.Integer, nullable=True))
    op.create_table(
        "report_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("earlier_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))


def downgrade() -> None:
    op.drop_table("report_links")
    with op.batch_alter_table("files") as batch:
        batch.drop_column("revises_id")
