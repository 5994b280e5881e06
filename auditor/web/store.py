"""The workbench's database: SQLite in the data folder (WAL, so several supervisors read while one writes),
SQLAlchemy 2 models, Alembic migrations run on open so a new version opens an old database.

Nothing a supervisor writes is updated in place: a review or a 整改意见 is a new row, the latest one counts,
the earlier ones are its history."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from datetime import date

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


LASTING = {"sqlite_autoincrement": True}   # an id, once given, is never given again (not even after a delete)
ADMIN, REVIEWER = "admin", "reviewer"       # 管理员 manages users and deletes; 审核员 reviews


class User(Base):
    __tablename__ = "users"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default=REVIEWER, server_default=ADMIN)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Batch(Base):
    __tablename__ = "batches"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(100), default="auto")   # auto | a profile id
    created_by: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    refused: Mapped[Optional[list]] = mapped_column(JSON)   # [[name, reason], …] the upload did not accept
    # the season: reports are due by `deadline`, and are of `season_year`
    deadline: Mapped[Optional[date]] = mapped_column(Date)
    season_year: Mapped[Optional[int]] = mapped_column(Integer)
    # the letters, set once per batch: who signs, the 文号 pattern ({n}: the letter's number), the date, the reply
    # deadline, and whether scores are shown (off until an office adopts a scheme it has checked)
    letter_office: Mapped[Optional[str]] = mapped_column(String(200))
    letter_number: Mapped[Optional[str]] = mapped_column(String(200))
    letter_date: Mapped[Optional[date]] = mapped_column(Date)
    reply_by: Mapped[Optional[date]] = mapped_column(Date)
    show_scores: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    files: Mapped[list["File"]] = relationship(back_populates="batch", order_by="File.position",
                                               cascade="all, delete-orphan")


class BatchLink(Base):
    """This batch follows an earlier one (year over year): its reports are compared by body."""
    __tablename__ = "batch_links"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    earlier_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))


WAITING, RUNNING, DONE = "waiting", "running", "done"


class File(Base):
    """One uploaded file of a batch: its bytes live in the file store under `hash`, never its uploaded name."""
    __tablename__ = "files"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20), default=WAITING, index=True)   # waiting | running | done
    round: Mapped[int] = mapped_column(Integer, default=1)
    revises_id: Mapped[Optional[int]] = mapped_column(Integer)   # the report this file revises (round 2, 3 …)
    created_at: Mapped[Optional[datetime]] = mapped_column(DateTime, default=now)   # received (NULL: before 0007)
    batch: Mapped[Batch] = relationship(back_populates="files")
    report: Mapped[Optional["ReportRow"]] = relationship(back_populates="file", cascade="all, delete-orphan",
                                                        uselist=False)


class ReportRow(Base):
    """The pipeline's Report for one file (its codec dict, codec.encode), with the columns the batch
    page sorts and filters by. kind: report | wrong-type | unreadable."""
    __tablename__ = "reports"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), unique=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[Optional[str]] = mapped_column(Text)          # wrong type or the error line
    body: Mapped[Optional[str]] = mapped_column(String(200))
    level: Mapped[Optional[str]] = mapped_column(String(50))
    year: Mapped[Optional[int]] = mapped_column(Integer)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)      # machine status id → number of rules
    statuses: Mapped[Optional[dict]] = mapped_column(JSON)        # rule id → machine status id (the matrix)
    profile: Mapped[Optional[str]] = mapped_column(String(100))   # the profile it was audited under (gaps' tiers)
    points: Mapped[Optional[float]] = mapped_column(Float)        # machine rating
    max_points: Mapped[Optional[float]] = mapped_column(Float)
    data: Mapped[dict] = mapped_column(JSON)                      # the Report as JSON
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    file: Mapped[File] = relationship(back_populates="report")


class Review(Base):
    """A person's verdict on one rule of one report: confirmed or changed, with the reason. Never updated."""
    __tablename__ = "reviews"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(100))
    machine_status: Mapped[str] = mapped_column(String(40))
    human_status: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Letter(Base):
    """The 整改意见 a supervisor writes for a report; every save is a new row (the latest counts)."""
    __tablename__ = "letters"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ReportLink(Base):
    """A report linked by hand to its earlier report (last year's, where the body's name is generic). The newest
    link counts."""
    __tablename__ = "report_links"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    earlier_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class RosterEntry(Base):
    """A body expected to report in this batch's season; `report_id` links it by hand where its name does not
    (a generic name); otherwise roster.check matches it by name."""
    __tablename__ = "roster_entries"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(String(200))
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))


PENDING, RETURNED, REVISED, PASSED = "pending", "returned", "revised", "passed"   # 待审 已退回整改 已整改 通过
REPORT_STATES = (PENDING, RETURNED, REVISED, PASSED)


class ReportState(Base):
    """Where a report stands in the season and who handles it; every change is a new row (the latest counts)."""
    __tablename__ = "report_states"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    assignee: Mapped[Optional[str]] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    user: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Login(Base):
    """A login: the cookie holds a random token, the store its SHA-256; logout, a new password or removing the
    user deletes the row, and the cookie opens nothing any more."""
    __tablename__ = "sessions"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Activity(Base):
    """Who did what, when: batches created, audited again and deleted, reviews and letters saved, users added,
    changed and removed. Never updated; kept in the database, so a backup keeps it too."""
    __tablename__ = "activity"
    __table_args__ = LASTING
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))    # an English id: batch-created, batch-deleted, review-saved …
    target: Mapped[str] = mapped_column(String(40))    # batch | report | user
    target_id: Mapped[Optional[int]] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")


class Store:
    """The data folder: `auditor.sqlite3` (migrated to the newest schema on open) and `files/`."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)   # it holds password hashes and reports
        self.path = self.data_dir / "auditor.sqlite3"
        self.engine = create_engine(f"sqlite:///{self.path}", connect_args={"check_same_thread": False,
                                                                            "timeout": 30})
        event.listen(self.engine, "connect", _pragmas)
        self.migrate()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # writes that read first (is this still the latest review? does any row still use these bytes?) take
        # SQLite's write lock at BEGIN, so two of them never both pass the check
        self._writer = create_engine(f"sqlite:///{self.path}", connect_args={"check_same_thread": False,
                                                                             "timeout": 30})
        event.listen(self._writer, "connect", _immediate)
        event.listen(self._writer, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        self._writes = sessionmaker(self._writer, expire_on_commit=False)

    def migrate(self) -> None:
        """The database brought to the newest schema (Alembic's upgrade head)."""
        from alembic import command
        from alembic.config import Config
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as connection:
            # off while tables are rebuilt (a parent dropped must not cascade into its children); checked after
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the database's references do not hold after migrating: {broken[:5]}")
            finally:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends without an exception, rolled back otherwise."""
        with self._session(self._sessions) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session holding the database's write lock from its first statement to its end: what it reads
        stays true until it commits (one writer at a time; the others wait, readers do not)."""
        with self._session(self._writes) as session:
            yield session

    @contextmanager
    def _session(self, maker) -> Iterator[Session]:
        session = maker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
        self._writer.dispose()


def _immediate(connection, record) -> None:
    _pragmas(connection, record)
    connection.isolation_level = None   # the driver opens no transaction of its own: BEGIN IMMEDIATE does


def _pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
