"""The workbench's store under deletes, races and faults (issue 22, findings 1–4): ids never reused, stored
files and rows change together, forms carry what they were opened on, a backup is whole."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text

from auditor.web.store import MIGRATIONS, Batch, File, ReportRow, Review, Store, User


def _database_at(tmp_path, revision: str):
    engine = create_engine(f"sqlite:///{tmp_path / 'auditor.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine


def test_migrating_to_lasting_ids_keeps_every_row_and_never_reuses_a_deleted_id(tmp_path):
    engine = _database_at(tmp_path, "0004")
    with engine.begin() as c:
        c.execute(text("PRAGMA foreign_keys=ON"))
        c.execute(text("INSERT INTO users (name, password_hash, created_at) VALUES ('张三', 'x', '2025-03-01')"))
        for b in (1, 2):
            c.execute(text(f"INSERT INTO batches (id, name, profile, created_at) VALUES ({b}, '批次{b}', 'auto', "
                           "'2025-03-01')"))
            c.execute(text(f"INSERT INTO files (id, batch_id, position, hash, size, original_name, state, round) "
                           f"VALUES ({b}, {b}, 0, 'ab', 1, 'a.txt', 'done', 1)"))
            c.execute(text(f"INSERT INTO reports (id, batch_id, file_id, round, kind, counts, data, created_at) "
                           f"VALUES ({b}, {b}, {b}, 1, 'report', '{{}}', '{{}}', '2025-03-01')"))
            c.execute(text(f"INSERT INTO reviews (report_id, rule, machine_status, human_status, reason, user, "
                           f"created_at) VALUES ({b}, 'r', 'missing', 'met', '', '张三', '2025-03-01')"))
    engine.dispose()
    store = Store(tmp_path)
    with store.session() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
        assert len(s.scalars(select(ReportRow)).all()) == 2 and len(s.scalars(select(Review)).all()) == 2
        assert s.scalars(select(User)).one().role == "admin"   # could delete before: not locked out now
        s.delete(s.get(Batch, 2))
    with store.session() as s:
        assert s.scalars(select(Review)).one().report_id == 1   # the cascade took batch 2's review only
        batch = Batch(name="新批次", profile="auto")
        s.add(batch)
        s.flush()
        assert batch.id == 3   # SQLite's rowid would have given 2 again
        s.add(File(batch_id=batch.id, position=0, hash="cd", size=1, original_name="b.txt"))
        s.flush()
        assert s.scalars(select(File).where(File.batch_id == 3)).one().id == 3
