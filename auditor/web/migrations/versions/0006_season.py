"""The supervisor's season: a batch's deadline and report year, its roster (the bodies expected to report,
each linked to its report by name or by hand), its letters' settings (signing office, 文号 pattern, date,
reply deadline, whether scores are shown), and each report's state through the season (待审 → 已退回整改 →
已整改 → 通过, who handles it), kept as rows like reviews: the latest counts, the earlier are its history.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH_COLUMNS = (
    sa.Column("deadline", sa.Date, nullable=True),
    sa.Column("season_year", sa.Integer, nullable=True),
    sa.Column("letter_office", sa.String(200), nullable=True),
    sa.Column("letter_number", sa.String(200), nullable=True),
    sa.Column("letter_date", sa.Date, nullable=True),
    sa.Column("reply_by", sa.Date, nullable=True),
    sa.Column("show_scores", sa.Boolean, nullable=False, server_default="0"),
)


def upgrade() -> None:
    for column in BATCH_COLUMNS:   # ALTER TABLE … ADD COLUMN: the table is not rebuilt and keeps AUTOINCREMENT
        op.add_column("batches", column)
    op.create_table(
        "roster_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("body", sa.String(200), nullable=False),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),
        sqlite_autoincrement=True)
    op.create_table(
        "report_states",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(100), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sqlite_autoincrement=True)


def downgrade() -> None:
    op.drop_table("report_states")
    op.drop_table("roster_entries")
    with op.batch_alter_table("batches", table_kwargs={"sqlite_autoincrement": True}) as batch:
        for column in BATCH_COLUMNS:
            batch.drop_column(column.name)
