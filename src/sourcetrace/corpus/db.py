"""Opening a corpus file, refusing files that are not one, and the one-writer lock."""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import duckdb
import pyarrow as pa

from ..model.errors import SourcetraceError
from .schema import ALL_TABLES, CORPUS_SCHEMA_VERSION, LATER_TABLES


class CorpusError(SourcetraceError):
    """A corpus file cannot be used; str() names the file and why (one line)."""


# A corpus file is untrusted input: DuckDB must never fetch or load an extension for it (an
# SQLite file named .duckdb made it try to download sqlite_scanner).
SAFE_CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}


def _major(version: str) -> str:
    return version.split(".")[0]


def check_corpus(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """RAISES CorpusError unless ``con`` holds a corpus this version can read."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "corpus_meta" not in tables:
        if tables:
            raise CorpusError(
                f"{path}: a DuckDB database but not a sourcetrace corpus "
                f"(tables: {', '.join(sorted(tables)[:5])})"
            )
        raise CorpusError(f"{path}: an empty DuckDB database, not a sourcetrace corpus")
    row = con.execute("SELECT value FROM corpus_meta WHERE key = 'schema_version'").fetchone()
    version = row[0] if row else "?"
    if _major(version) != _major(CORPUS_SCHEMA_VERSION):
        raise CorpusError(
            f"{path}: corpus schema version {version} is not supported "
            f"(this sourcetrace reads {_major(CORPUS_SCHEMA_VERSION)}.x)"
        )
    missing = [t for t in ALL_TABLES if t not in tables and t not in LATER_TABLES]
    if missing:
        raise CorpusError(f"{path}: a damaged corpus (missing tables: {', '.join(missing)})")
    for table in (t for t in ALL_TABLES if t in tables):  # an unreadable page fails here
        try:
            con.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchall()
        except duckdb.Error as exc:
            raise CorpusError(f"{path}: a damaged corpus ({table}: {_short(exc)})") from None


# A DuckDB file has this magic at this offset (after an 8-byte checksum).
_DUCKDB_MAGIC, _MAGIC_AT = b"DUCK", 8


def _not_duckdb(path: str) -> str | None:
    """Why ``path`` is not a corpus at all (another kind of file), or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(_MAGIC_AT + len(_DUCKDB_MAGIC))
    except OSError:
        return None  # duckdb.connect says why
    if not head or head[_MAGIC_AT:] == _DUCKDB_MAGIC:
        return None
    hint = (f"; make one from it: sourcetrace corpus build {path} --db corpus.duckdb"
            if path.lower().endswith((".jsonl", ".parquet", ".txt", ".html")) else "")
    return ("not a readable DuckDB corpus: another kind of file, not what 'sourcetrace corpus "
            f"build' writes{hint}")


def connect(
    path: str, *, read_only: bool = True, external_access: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open an existing corpus. RAISES CorpusError (missing, corrupt, foreign, too new).

    external_access (bool): whether SQL may read or write other files (``COPY``, Parquet
        export). Readers that only query the corpus pass False. Defaults to True.
    """
    if not os.path.exists(path):
        raise CorpusError(f"{path}: no such corpus (build one with 'sourcetrace corpus build')")
    if os.path.isdir(path):
        raise CorpusError(f"{path}: is a directory, not a corpus file")
    if (reason := _not_duckdb(path)) is not None:
        raise CorpusError(f"{path}: {reason}")
    try:
        config: dict[str, str | bool] = dict(SAFE_CONFIG)
        if not external_access:
            config["enable_external_access"] = False
        con = duckdb.connect(path, read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise CorpusError(f"{path}: not a readable DuckDB corpus ({_short(exc)})") from None
    try:
        try:
            check_corpus(con, path)
        except duckdb.Error as exc:  # a truncated or flipped page
            raise CorpusError(f"{path}: a damaged corpus ({_short(exc)})") from None
    except BaseException:
        con.close()
        raise
    return con


def lock_path(db_path: str) -> str:
    """The lock file beside a corpus: ``.NAME.lock`` in the corpus's folder."""
    folder, name = os.path.split(os.path.abspath(db_path))
    return os.path.join(folder, f".{name}.lock")


def work_prefix(db_path: str) -> str:
    """Where a build's work copies of ``db_path`` go: ``.NAME.build-XXXX.duckdb`` beside it."""
    folder, name = os.path.split(os.path.abspath(db_path))
    return os.path.join(folder, f".{name}.build-")


@contextmanager
def write_lock(db_path: str, *, wait: bool = True) -> Iterator[None]:
    """Hold the corpus's one-writer lock (an OS file lock beside it) while the body runs.

    A second writer waits for the first (``wait``) or fails at once with one line. The lock
    goes with the process, so a killed build never leaves the corpus locked.
    RAISES CorpusError: ``wait`` is False and another process is writing the corpus, or the
      lock file cannot be made.
    """
    try:
        fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CorpusError(f"{db_path}: cannot make its lock file ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise CorpusError(
                f"{db_path}: another build is writing this corpus; try again when it ends "
                "(or leave out --no-wait to wait for it)"
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_dead_work_copies(db_path: str) -> list[str]:
    """Delete work copies left by killed builds of ``db_path``; call only under its lock.

    Holding the lock means no other build of this corpus is running, so every work copy
    (and its WAL and spill folder) is a dead build's. RETURNS the paths removed.
    """
    removed = []
    for path in sorted(glob.glob(glob.escape(work_prefix(db_path)) + "*.duckdb*")):
        try:
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
            removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove: the build goes on
    return removed


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Append dict rows to ``table`` in one Arrow insert; keys missing from a row are NULL."""
    if not rows:
        return
    cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
    con.register("_rows", pa.table({c: [r.get(c) for r in rows] for c in cols}))
    con.execute(f"INSERT INTO {table} SELECT {', '.join(cols)} FROM _rows")
    con.unregister("_rows")


def join_stepwise(con: duckdb.DuckDBPyConnection, table: str, selects: Sequence[str]) -> None:
    """Materialise a chain of joins as the table ``table``, one join per statement: a
    join that writes a table can spill to disk, but several hash joins in one statement
    (or one feeding a streamed result) outgrow a small memory bound. Each select after
    the first reads the previous step's rows as ``{prev}``. One thread: on two, a join
    of 582k claim ids ran out of a 32 MB bound that it fits on one.

    A plain table in the (work copy of the) corpus, written out after each step, not a
    temp table: DuckDB keeps part of a temp table pinned, and at 400k articles the 2.3M
    claim rows provenance joins left the next join too little of a 64 MB bound. The
    caller drops it."""
    with one_thread(con):
        for sql in selects:
            con.execute(f"CREATE OR REPLACE TABLE {table}_next AS {sql.format(prev=table)}")
            con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute(f"ALTER TABLE {table}_next RENAME TO {table}")
            con.execute("CHECKPOINT")


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block's queries on one DuckDB thread: a sort of wide rows on two threads
    needs more than a small memory bound even when it spills."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


def read_sorted(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    order_by: str,
    bucket: str,
    max_rows: int,
    batch_rows: int,
    reader: duckdb.DuckDBPyConnection | None = None,
) -> Iterator[pa.RecordBatch]:
    """The rows of ``table`` as Arrow batches, sorted by ``order_by`` within buckets.

    One sort of every row outgrows a small memory bound once the table is large enough,
    even spilling on one thread (provenance's 1.2M claim rows at 200k articles, 64 MB).
    So the rows are cut into ceil(rows / max_rows) buckets by the integer expression
    ``bucket`` (``hash(...)`` or a key that spreads evenly) and each bucket is sorted
    into a table of its own: no sort grows with the corpus. Rows that share a bucket
    value stay together, so a consumer grouping consecutive rows by a key the bucket is
    computed from sees each group whole and once. Each bucket costs a scan of ``table``,
    and a checkpoint before it writes out what the consumer wrote meanwhile.

    reader: the connection to stream from (default ``con``); another connection cannot
    see temp tables, so with one the sorted rows go to a plain table.
    """
    ((count,),) = con.execute(f"SELECT count(*) FROM {table}").fetchall()
    parts = max(1, -(-int(count) // max_rows))
    kind = "TABLE" if reader is not None else "TEMP TABLE"
    out = f"{table}_sorted"
    for part in range(parts):
        where = f"WHERE ({bucket}) % {parts} = {part}" if parts > 1 else ""
        if part:
            # What the consumer wrote while it read the last bucket is pending in memory
            # until a checkpoint; it took the memory this sort needs (provenance at 100k).
            con.execute("CHECKPOINT")
        with one_thread(con):
            con.execute(f"CREATE OR REPLACE {kind} {out} AS "
                        f"SELECT * FROM {table} {where} ORDER BY {order_by}")
        stream = (reader or con).sql(f"SELECT * FROM {out}").to_arrow_reader(batch_rows)
        try:
            yield from stream
        finally:
            stream.close()  # now, not whenever it is collected: the next bucket checkpoints
        con.execute(f"DROP TABLE {out}")


def run_in_slices(
    con: duckdb.DuckDBPyConnection, sql: str, table: str, rows: int, params: dict | None = None
) -> None:
    """Run ``sql`` once per slice of ``rows`` of the range 0 .. count(``table``) (it reads
    the slice as ``$lo`` <= x < ``$hi``, x a row id or a dense ordinal), each statement its
    own transaction: an update's undo data stays in memory until it commits, and one
    update, or one sorted insert, over every row outgrows a small bound."""
    ((count,),) = con.execute(f"SELECT count(*) FROM {table}").fetchall()
    for lo in range(0, int(count), rows):
        con.execute(sql, {**(params or {}), "lo": lo, "hi": lo + rows})


def insert_spooled(
    con: duckdb.DuckDBPyConnection, sql: str, schema: pa.Schema, tables: Iterable[pa.Table]
) -> None:
    """Run ``sql`` over rows computed while a reader on ``con`` is still open (the
    connection cannot write until it closes): the tables wait in an Arrow stream in a
    scratch file, not in memory, and ``sql`` reads them as ``_spool``."""
    with tempfile.TemporaryDirectory(prefix="sourcetrace-spool-") as tmp:
        path = os.path.join(tmp, "rows.arrows")
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_stream(sink, schema) as out:
            for table in tables:
                out.write_table(table)
        with pa.OSFile(path, "rb") as source:
            con.register("_spool", pa.ipc.open_stream(source))
            try:
                con.execute(sql)
            finally:
                con.unregister("_spool")


def _short(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    return msg if len(msg) <= 160 else msg[:157] + "..."
