"""Ids never reused (AUTOINCREMENT: a form opened on report 1312 can never reach another body's report after a
delete), users' roles, server-side sessions (logout and a new password end them) and the activity log.

Tables are rebuilt to take AUTOINCREMENT; Store.migrate runs migrations with foreign keys off, so rebuilding
a parent never cascades into its children. Existing accounts become 管理员 (admin): they could delete before.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("users", "batches", "batch_links", "files", "reports", "reviews", "letters", "report_links")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}) as batch:
            if table == "users":
                batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="admin"))
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False),
        sqlite_autoincrement=True)
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("target_id", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sqlite_autoincrement=True)


def downgrade() -> None:
    op.drop_table("activity")
    op.drop_table("sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("role")
