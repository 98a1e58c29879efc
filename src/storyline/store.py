"""The store: schema, migrations, reads and writes (SQLAlchemy Core).

SQLite in WAL mode is the embedded default; every batch of articles is one
transaction, so a run killed halfway keeps everything it had committed and
the next run adds only what is missing (the article id is a content hash).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray

from .errors import StoreError
from .lock import writing
from .models import (
    Annotations,
    Article,
    DateRange,
    Event,
    IdRecord,
    Removal,
    Story,
    plain,
)

SCHEMA_VERSION = 6

metadata = sa.MetaData()

LEFT_OUT_KEY = "left_out"  # meta key: what the last build left out, a JSON list of lines

meta_table = sa.Table(
    "meta", metadata, sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.Text)
)
articles_table = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("ref", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("published", sa.String(40)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("removed", sa.Text, nullable=False),  # JSON list of {text, reason}
    sa.Column("meta", sa.Text, nullable=False),  # JSON object
    sa.Column("added", sa.String(40), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # insertion order, for stable listings
    # Schema 4: ISO 639-1 code (storyline.stages.language); NULL until detected
    sa.Column("language", sa.String(16)),
)
refs_table = sa.Table(
    "article_refs",
    metadata,
    sa.Column("ref", sa.Text, primary_key=True),
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), nullable=False),
)
annotations_table = sa.Table(
    "annotations",
    metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("data", sa.Text, nullable=False),
)
dates_table = sa.Table(
    "article_dates",
    metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("data", sa.Text, nullable=False),
)
embeddings_table = sa.Table(
    "embeddings",
    metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("model", sa.String(80), primary_key=True),
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float32, little endian
)
events_table = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("start", sa.String(20)),
    sa.Column("data", sa.Text, nullable=False),
)
event_articles_table = sa.Table(
    "event_articles",
    metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id"), nullable=False, index=True),
)
stories_table = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # by date of the first event
    sa.Column("data", sa.Text, nullable=False),
)
# Schema 2: what placing a new article among the stored ones needs besides its embedding
# (storyline.stages.cluster.placement), kept so that the placement index loads without recomputing.
placement_table = sa.Table(
    "placement_features",
    metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("day", sa.Integer),  # ordinal of the known publication day
    sa.Column("terms", sa.LargeBinary, nullable=False),  # int32 term ids, then uint16 counts
    sa.Column("entities", sa.Text, nullable=False),  # JSON object: name -> kind weight
)

# Schema 5: every event and storyline id ever given, and what it names now (see
# storyline.stages.cluster.ids): live, an alias of the id that lives on, or gone.
ids_table = sa.Table(
    "group_ids",
    metadata,
    sa.Column("kind", sa.String(10), primary_key=True),  # event | storyline
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),  # order of issue within its kind
    sa.Column("anchor", sa.Text, nullable=False),  # JSON list: the articles it first named
    sa.Column("status", sa.String(8), nullable=False),  # live | alias | gone
    sa.Column("target", sa.String(40)),  # an alias: the id that lives on
    sa.Column("holders", sa.Text, nullable=False),  # JSON list: gone, the ids holding them now
    sa.Column("size", sa.Integer, nullable=False),  # live: articles in its group
)

# Schema 6: which version of each per-article stage (pipeline.STAGES) has run on each
# article, on which inputs (``key``: what the result depends on besides the article's
# text, such as its publication day), and the result itself when it has no table of its
# own (JSON). A stage runs again on an article only when its version or that key changes.
stages_table = sa.Table(
    "article_stages",
    metadata,
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("stage", sa.String(40), primary_key=True),
    sa.Column("version", sa.String(120), nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("result", sa.Text),
)


def _migrate_to_1(conn: sa.Connection) -> None:
    metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "article_id UNINDEXED, title, text, tokenize='porter unicode61')"
        )


def _migrate_to_2(conn: sa.Connection) -> None:
    # A new store has it already: migration 1 creates every table of ``metadata``.
    placement_table.create(conn, checkfirst=True)


def _migrate_to_3(conn: sa.Connection) -> None:
    # Words are hashed with their digits folded (stages.cluster.rarity) since schema 3: the
    # stored term buckets are dropped, and the next build computes them again.
    conn.execute(sa.delete(placement_table))


def _migrate_to_4(conn: sa.Connection) -> None:
    # Each article's language. A new store has the column already (migration 1 creates the
    # tables of ``metadata``); a stored article gets NULL, and the next build detects it
    # (pipeline.build) before anything reads the text as English.
    columns = {c["name"] for c in sa.inspect(conn).get_columns("articles")}
    if "language" not in columns:
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN language VARCHAR(16)")


def _migrate_to_5(conn: sa.Connection) -> None:
    # The id book (table group_ids), begun with the events and storylines the store holds:
    # each a live id standing for its articles now, in the order they were listed.
    ids_table.create(conn, checkfirst=True)
    if conn.execute(sa.select(sa.func.count()).select_from(ids_table)).scalar_one():
        return
    members: dict[str, list[str]] = {}
    e = events_table.c
    rows = conn.execute(sa.select(e.id, e.data).order_by(e.start.is_(None), e.start, e.id))
    for event_id, data in rows:
        members[event_id] = list(json.loads(data)["articles"])
    stories = conn.execute(sa.select(stories_table.c.data).order_by(stories_table.c.position))
    groups = [("event", event_id, articles) for event_id, articles in members.items()]
    for row in stories:
        story = json.loads(row[0])
        articles = [a for eid in story["events"] for a in members.get(eid, [])]
        groups.append(("storyline", story["id"], articles))
    seqs: dict[str, int] = {}
    values = []
    for kind, name, articles in groups:
        seqs[kind] = seqs.get(kind, 0) + 1
        values.append({
            "kind": kind, "id": name, "seq": seqs[kind], "anchor": json.dumps(articles),
            "status": "live", "target": None, "holders": "[]", "size": len(articles),
        })  # fmt: skip
    if values:
        conn.execute(sa.insert(ids_table), values)


def _migrate_to_6(conn: sa.Connection) -> None:
    # The stage book (table article_stages), begun with what the store already holds, so
    # that an upgraded store is not annotated, embedded or indexed again. The versions are
    # those the stages had when schema 6 came (pipeline.STAGES); text dates were not kept
    # apart from the final ones, so the next build dates every article from its text once.
    stages_table.create(conn, checkfirst=True)
    if conn.execute(sa.select(sa.func.count()).select_from(stages_table)).scalar_one():
        return
    a, n, p, e = (articles_table.c, annotations_table.c, placement_table.c, embeddings_table.c)
    none = sa.literal("")
    done = [
        sa.select(a.id, sa.literal("language"), sa.literal("1"), none).where(
            a.language.is_not(None)
        ),
        sa.select(n.article_id, sa.literal("annotate"), sa.literal("1"), none),
        sa.select(
            p.article_id,
            sa.literal("index"),
            sa.literal("1"),
            sa.func.coalesce(sa.cast(p.day, sa.Text), none),
        ),
        # one model an article: the one a build will use is the one it used before
        sa.select(
            e.article_id, sa.literal("embed"), sa.literal("1"), sa.func.min(e.model)
        ).group_by(e.article_id),
    ]
    columns = ["article_id", "stage", "version", "key"]
    for rows in done:
        conn.execute(sa.insert(stages_table).from_select(columns, rows))


# Migration n brings a store from schema version n-1 to n. Append, never edit.
MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
    _migrate_to_4,
    _migrate_to_5,
    _migrate_to_6,
)


@dataclass
class PlacementFeatures:
    """What placing an article among the stored ones needs besides its embedding."""

    article_id: str
    day: int | None  # ordinal of its known publication day
    terms: NDArray[np.int32]  # hashed term ids, ascending
    counts: NDArray[np.uint16]  # how often each term occurs
    entities: dict[str, float]  # canonical lower-case name -> kind weight


@dataclass
class SearchHit:
    article_id: str
    title: str | None
    source: str | None
    snippet: str  # plain text; the matched terms are between [[ and ]]
    event_id: str | None
    language: str | None = None


def _url_for(db: str) -> str:
    return db if "://" in db else f"sqlite:///{Path(db).expanduser()}"


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Store:
    """A storyline database: open it with a file path or a SQLAlchemy URL."""

    def __init__(self, db: str) -> None:
        self.url = _url_for(db)
        try:
            self.engine = sa.create_engine(self.url)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot open store {db!r}: {exc}") from exc
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            sa.event.listen(self.engine, "connect", _on_sqlite_connect)
        try:
            self._migrate()
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open store {db!r}: {getattr(exc, 'orig', None) or exc}; "
                "check the path is writable and is a storyline database"
            ) from exc

    def writing(
        self, wait: bool = True, on_wait: Callable[[str], None] | None = None
    ) -> AbstractContextManager[None]:
        """Return a context that holds this store's writer lock (see ``storyline.lock``):
        another writer waits for it (on_wait is told who holds it) or, without wait, is
        refused with StoreBusy naming the process."""
        if not self.is_sqlite:
            raise StoreError(
                f"cannot lock a {self.engine.dialect.name} store for writing: "
                "only SQLite stores are supported"
            )
        database = self.engine.url.database
        if not database or database == ":memory:":
            return writing(None)  # no other process sees it
        return writing(Path(database).resolve(), wait, on_wait)

    def close(self) -> None:
        self.engine.dispose()

    # --- schema -----------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("meta"):
                return 0
            value = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalar()
        return int(value) if value is not None else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"store schema version {current} is newer than this storyline "
                f"({SCHEMA_VERSION}): upgrade storyline"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.engine.begin() as conn:
                MIGRATIONS[version - 1](conn)
                conn.execute(sa.delete(meta_table).where(meta_table.c.key == "schema_version"))
                conn.execute(sa.insert(meta_table).values(key="schema_version", value=str(version)))

    # --- articles ---------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> list[str]:
        """Return the ids of the new articles; the whole batch is one transaction."""
        added: list[str] = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            seq = conn.execute(sa.select(sa.func.coalesce(sa.func.max(articles_table.c.seq), 0)))
            next_seq = int(seq.scalar_one()) + 1
            for article in articles:
                exists = conn.execute(
                    sa.select(articles_table.c.id).where(articles_table.c.id == article.id)
                ).first()
                if exists is None and article.id not in added:
                    conn.execute(
                        sa.insert(articles_table).values(_article_row(article, now, next_seq))
                    )
                    if self.is_sqlite:
                        conn.exec_driver_sql(
                            "INSERT INTO articles_fts(article_id, title, text) VALUES (?, ?, ?)",
                            (article.id, article.title or "", article.text),
                        )
                    added.append(article.id)
                    next_seq += 1
                self._add_ref(conn, article.ref, article.id)
        return added

    @staticmethod
    def _add_ref(conn: sa.Connection, ref: str, article_id: str) -> None:
        known = conn.execute(sa.select(refs_table.c.ref).where(refs_table.c.ref == ref)).first()
        if known is None:
            conn.execute(sa.insert(refs_table).values(ref=ref, article_id=article_id))

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(articles_table)).scalar_one()
            )

    def language_counts(self) -> dict[str | None, int]:
        """Return how many stored articles are in each language (None: not yet detected)."""
        t = articles_table.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.language, sa.func.count()).group_by(t.language))
            return {language: int(n) for language, n in rows}

    def count_annotated(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(annotations_table)).scalar_one()
            )

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(articles_table.c.id).order_by(articles_table.c.seq))
            return [r[0] for r in rows]

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        """Return articles (all in insertion order, or the given ids), annotated and dated."""
        query = sa.select(articles_table).order_by(articles_table.c.seq)
        wanted = None if ids is None else list(ids)
        with self.engine.connect() as conn:
            rows = list(_select_in(conn, query, articles_table.c.id, wanted))
            annotations = dict(_load_json(conn, annotations_table, wanted))
            dates = dict(_load_json(conn, dates_table, wanted))
        result = []
        for row in rows:
            article = _article_from_row(row._mapping)
            if article.id in annotations:
                article.annotations = Annotations.from_dict(annotations[article.id])
            if article.id in dates:
                article.date = DateRange.from_dict(dates[article.id])
            result.append(article)
        return result

    def save_annotations(self, articles: Sequence[Article]) -> None:
        rows = [(a.id, a.annotations.to_dict()) for a in articles if a.annotations is not None]
        self._upsert_json(annotations_table, rows)

    def save_languages(self, articles: Sequence[Article]) -> None:
        """Store each article's language and meta (which holds the detector's confidence)."""
        rows = [
            {"aid": a.id, "language": a.language, "meta": json.dumps(a.meta, default=str)}
            for a in articles
        ]
        if not rows:
            return
        t = articles_table
        stmt = (
            sa.update(t)
            .where(t.c.id == sa.bindparam("aid"))
            .values(language=sa.bindparam("language"), meta=sa.bindparam("meta"))
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)

    def save_dates(self, articles: Sequence[Article]) -> None:
        rows = [(a.id, a.date.to_dict()) for a in articles if a.date is not None]
        self._upsert_json(dates_table, rows)

    def _upsert_json(self, table: sa.Table, rows: Sequence[tuple[str, Any]]) -> None:
        with self.engine.begin() as conn:
            ids = [r[0] for r in rows]
            for chunk in _chunks(ids, 500):
                conn.execute(sa.delete(table).where(table.c.article_id.in_(chunk)))
            if rows:
                conn.execute(
                    sa.insert(table), [{"article_id": i, "data": json.dumps(d)} for i, d in rows]
                )

    # --- embeddings -------------------------------------------------------------------
    def save_embeddings(self, model: str, ids: Sequence[str], vectors: NDArray[np.float32]) -> None:
        with self.engine.begin() as conn:
            for chunk in _chunks(list(ids), 500):
                conn.execute(
                    sa.delete(embeddings_table).where(
                        embeddings_table.c.model == model, embeddings_table.c.article_id.in_(chunk)
                    )
                )
            if len(ids):
                conn.execute(
                    sa.insert(embeddings_table),
                    [
                        {"article_id": i, "model": model, "vector": v.astype("<f4").tobytes()}
                        for i, v in zip(ids, vectors, strict=True)
                    ],
                )

    def load_embeddings(
        self, model: str, ids: Iterable[str] | None = None
    ) -> dict[str, NDArray[np.float32]]:
        """Return the stored vectors of a model: all of them, or those of the given ids."""
        query = sa.select(embeddings_table.c.article_id, embeddings_table.c.vector).where(
            embeddings_table.c.model == model
        )
        wanted = None if ids is None else list(ids)
        with self.engine.connect() as conn:
            rows = _select_in(conn, query, embeddings_table.c.article_id, wanted)
            return {str(r.article_id): np.frombuffer(r.vector, dtype="<f4") for r in rows}

    # --- placement features -----------------------------------------------------------
    def save_placement_features(self, rows: Sequence[PlacementFeatures]) -> None:
        """Store (or replace) the placement features of some articles, in one transaction."""
        with self.engine.begin() as conn:
            column = placement_table.c.article_id
            for chunk in _chunks([r.article_id for r in rows], 500):
                conn.execute(sa.delete(placement_table).where(column.in_(chunk)))
            if rows:
                conn.execute(sa.insert(placement_table), [_placement_row(r) for r in rows])

    def placement_rows(
        self, model: str
    ) -> Iterator[tuple[PlacementFeatures, NDArray[np.float32], str]]:
        """Yield, for every article in an event that has placement features and a vector
        of ``model``, those features, the vector and the event id (in no particular order)."""
        p, e, ea = placement_table.c, embeddings_table.c, event_articles_table.c
        query = (
            sa.select(p.article_id, p.day, p.terms, p.entities, e.vector, ea.event_id)
            .join(embeddings_table, sa.and_(e.article_id == p.article_id, e.model == model))
            .join(event_articles_table, ea.article_id == p.article_id)
        )
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=2000).execute(query):
                vector = np.frombuffer(row.vector, dtype="<f4")
                yield _placement_from_row(row._mapping), vector, str(row.event_id)

    # --- the stage book ---------------------------------------------------------------
    def stage_marks(self, stage: str) -> dict[str, tuple[str, str]]:
        """Return, for each article a per-article stage has run on, its version and key."""
        s = stages_table.c
        query = sa.select(s.article_id, s.version, s.key).where(s.stage == stage)
        with self.engine.connect() as conn:
            return {str(r[0]): (str(r[1]), str(r[2])) for r in conn.execute(query)}

    def mark_done(
        self, stage: str, version: str, done: Sequence[tuple[str, str, Any]], kept: bool = False
    ) -> None:
        """Record that a stage of this version ran on some articles: (article id, key,
        result) each, the result kept as JSON when ``kept`` (it has no table of its own)."""
        s = stages_table.c
        rows = [
            {
                "article_id": aid,
                "stage": stage,
                "version": version,
                "key": key,
                "result": json.dumps(plain(result)) if kept else None,
            }
            for aid, key, result in done
        ]
        with self.engine.begin() as conn:
            for chunk in _chunks([aid for aid, _, _ in done], 500):
                conn.execute(
                    sa.delete(stages_table).where(s.stage == stage, s.article_id.in_(chunk))
                )
            if rows:
                conn.execute(sa.insert(stages_table), rows)

    def stage_results(self, stage: str, version: str) -> dict[str, Any]:
        """Return the kept JSON results of a stage's version, by article id."""
        s = stages_table.c
        query = sa.select(s.article_id, s.result).where(
            s.stage == stage, s.version == version, s.result.is_not(None)
        )
        with self.engine.connect() as conn:
            return {str(r[0]): json.loads(r[1]) for r in conn.execute(query)}

    def article_events(self) -> dict[str, str]:
        """Return the event of every grouped article (article id -> event id)."""
        query = sa.select(event_articles_table.c.article_id, event_articles_table.c.event_id)
        with self.engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(query)}

    # --- events and stories -----------------------------------------------------------
    def replace_events(
        self,
        events: Sequence[Event],
        stories: Sequence[Story],
        left_out: Sequence[str] = (),
        ids: Mapping[str, Sequence[IdRecord]] | None = None,
    ) -> None:
        """Store a new grouping in one transaction, replacing the previous one; left_out
        names what the build had to leave out of it (see ``left_out``), and ids holds the
        id records (by kind: event, storyline) it made or changed."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(meta_table).where(meta_table.c.key == LEFT_OUT_KEY))
            if left_out:
                conn.execute(
                    sa.insert(meta_table).values(key=LEFT_OUT_KEY, value=json.dumps(list(left_out)))
                )
            for kind, records in (ids or {}).items():
                self._save_ids(conn, kind, records)
            for table in (event_articles_table, events_table, stories_table):
                conn.execute(sa.delete(table))
            if events:
                conn.execute(
                    sa.insert(events_table),
                    [
                        {
                            "id": e.id,
                            "title": e.title,
                            "start": e.date.start,
                            "data": json.dumps(e.to_dict()),
                        }
                        for e in events
                    ],
                )
                conn.execute(
                    sa.insert(event_articles_table),
                    [{"article_id": a, "event_id": e.id} for e in events for a in e.articles],
                )
            if stories:
                conn.execute(
                    sa.insert(stories_table),
                    [
                        {
                            "id": s.id,
                            "title": s.title,
                            "position": i,
                            "data": json.dumps(s.to_dict()),
                        }
                        for i, s in enumerate(stories)
                    ],
                )

    def left_out(self) -> list[str]:
        """Return what the last build left out of its grouping (lines that failed
        verification, parts whose stage failed), each named; [] when nothing was."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == LEFT_OUT_KEY)
            ).scalar()
        return list(json.loads(value)) if value else []

    @staticmethod
    def _save_ids(conn: sa.Connection, kind: str, records: Sequence[IdRecord]) -> None:
        c = ids_table.c
        for chunk in _chunks([r.id for r in records], 500):
            conn.execute(sa.delete(ids_table).where(c.kind == kind, c.id.in_(chunk)))
        if records:
            conn.execute(sa.insert(ids_table), [_id_row(kind, r) for r in records])

    def id_records(self, kind: str, moved_only: bool = False) -> list[IdRecord]:
        """Return every id of a kind (event, storyline) ever given, in order of issue; with
        ``moved_only``, only the aliases and the gone ones."""
        c = ids_table.c
        query = sa.select(ids_table).where(c.kind == kind).order_by(c.seq)
        if moved_only:
            query = query.where(c.status != "live")
        with self.engine.connect() as conn:
            return [_id_from_row(r._mapping) for r in conn.execute(query)]

    def id_record(self, kind: str, name: str) -> IdRecord | None:
        """Return what an id of a kind (event, storyline) names now, None if never given."""
        c = ids_table.c
        query = sa.select(ids_table).where(c.kind == kind, c.id == name)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _id_from_row(row._mapping) if row is not None else None

    def events(self) -> list[Event]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(events_table.c.data).order_by(
                    events_table.c.start.is_(None), events_table.c.start, events_table.c.id
                )
            )
            return [Event.from_dict(json.loads(r[0])) for r in rows]

    def stories(self) -> list[Story]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(stories_table.c.data).order_by(stories_table.c.position))
            return [Story.from_dict(json.loads(r[0])) for r in rows]

    # --- search -----------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Return the articles best matching a full-text query (FTS5 syntax on SQLite),
        best first, each with a snippet of its text around the matches."""
        ranked = self.search_ids(query, limit)
        snippets = self.snippets(query, ranked)
        stmt = (
            sa.select(
                articles_table.c.id,
                articles_table.c.title,
                articles_table.c.source,
                event_articles_table.c.event_id,
                articles_table.c.language,
            )
            .join(event_articles_table, isouter=True)
            .where(articles_table.c.id.in_(ranked))
        )
        with self.engine.connect() as conn:
            rows = {r[0]: r for r in conn.execute(stmt)}
        return [
            SearchHit(
                aid, rows[aid][1], rows[aid][2], snippets.get(aid, ""), rows[aid][3], rows[aid][4]
            )
            for aid in ranked
            if aid in rows
        ]

    def search_ids(self, query: str, limit: int) -> list[str]:
        """Return the ids of the articles best matching a query, best first: the index's
        own ranking (bm25), no snippets, so a word in most articles costs milliseconds."""
        if not self.is_sqlite:
            pattern = f"%{query}%"
            stmt = (
                sa.select(articles_table.c.id)
                .where(
                    sa.or_(
                        articles_table.c.text.ilike(pattern), articles_table.c.title.ilike(pattern)
                    )
                )
                .order_by(articles_table.c.id)
                .limit(limit)
            )
            with self.engine.connect() as conn:
                return [r[0] for r in conn.execute(stmt)]
        sql = "SELECT article_id FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        return [r[0] for r in self._fts(sql, query, (limit,))]

    def snippets(self, query: str, article_ids: list[str]) -> dict[str, str]:
        """Return the snippet of each article's text around a query's matches (between
        [[ and ]]), for the given articles only: a snippet costs far more than a match."""
        found: dict[str, str] = {}
        for chunk in _chunks(article_ids, 500):
            if not self.is_sqlite:
                stmt = sa.select(articles_table.c.id, articles_table.c.text).where(
                    articles_table.c.id.in_(chunk)
                )
                with self.engine.connect() as conn:
                    found.update((r[0], _like_snippet(r[1], query)) for r in conn.execute(stmt))
                continue
            marks = ",".join("?" * len(chunk))
            sql = (
                "SELECT article_id, snippet(articles_fts, 2, '[[', ']]', ' … ', 16) "
                f"FROM articles_fts WHERE articles_fts MATCH ? AND article_id IN ({marks})"
            )
            found.update((r[0], r[1]) for r in self._fts(sql, query, tuple(chunk)))
        return found

    def _fts(self, sql: str, query: str, params: tuple[Any, ...]) -> list[Any]:
        """Run a full-text statement whose first parameter is the query. A query that is
        not good FTS5 syntax (an unbalanced quote, a bare "*" or "NEAR(") is read as the
        user's words instead: each word quoted, which the index always accepts."""
        if not query.split():
            return []
        with self.engine.connect() as conn:
            for form in dict.fromkeys((_fts_query(query), _fts_words(query))):
                try:
                    return list(conn.exec_driver_sql(sql, (form, *params)).fetchall())
                except sa.exc.OperationalError as exc:
                    failure = exc
        raise StoreError(f"cannot search for {query[:80]!r}: try plain words") from failure


def _fts_query(query: str) -> str:
    """Return the query as FTS5 syntax: one written with its operators as it is, else its
    plain words ANDed (_fts_words)."""
    if any(op in query for op in ('"', " OR ", " AND ", " NOT ", "*", "NEAR(")):
        return query
    return _fts_words(query)


def _fts_words(query: str) -> str:
    """Return the query's words ANDed, each quoted so that punctuation is safe."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in query.split())


def _like_snippet(text: str, query: str, width: int = 80) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return text[:width]
    start = max(0, at - width // 2)
    end = at + len(query)
    return text[start:at] + "[[" + text[at:end] + "]]" + text[end : end + width // 2]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _select_in(
    conn: sa.Connection, query: sa.Select[Any], column: sa.Column[Any], ids: list[str] | None
) -> Iterator[sa.Row[Any]]:
    if ids is None:
        yield from conn.execute(query)
        return
    for chunk in _chunks(ids, 500):
        yield from conn.execute(query.where(column.in_(chunk)))


def _load_json(
    conn: sa.Connection, table: sa.Table, ids: list[str] | None
) -> Iterator[tuple[str, Any]]:
    query: sa.Select[Any] = sa.select(table.c.article_id, table.c.data)
    for row in _select_in(conn, query, table.c.article_id, ids):
        article_id, data = tuple(row)
        yield str(article_id), json.loads(data)


def _placement_row(row: PlacementFeatures) -> dict[str, Any]:
    terms = row.terms.astype("<i4").tobytes() + row.counts.astype("<u2").tobytes()
    return {
        "article_id": row.article_id,
        "day": row.day,
        "terms": terms,
        "entities": json.dumps(row.entities),
    }


def _placement_from_row(row: Any) -> PlacementFeatures:
    blob: bytes = row["terms"]
    n = len(blob) // 6  # 4 bytes of term id and 2 of count per term
    return PlacementFeatures(
        article_id=row["article_id"],
        day=row["day"],
        terms=np.frombuffer(blob, dtype="<i4", count=n),
        counts=np.frombuffer(blob, dtype="<u2", count=n, offset=4 * n),
        entities=json.loads(row["entities"]),
    )


def _id_row(kind: str, record: IdRecord) -> dict[str, Any]:
    return {
        "kind": kind, "id": record.id, "seq": record.seq, "anchor": json.dumps(record.anchor),
        "status": record.status, "target": record.target,
        "holders": json.dumps(record.holders), "size": record.size,
    }  # fmt: skip


def _id_from_row(row: Any) -> IdRecord:
    return IdRecord(
        id=row["id"], seq=row["seq"], anchor=json.loads(row["anchor"]), status=row["status"],
        target=row["target"], holders=json.loads(row["holders"]), size=row["size"],
    )  # fmt: skip


def _article_row(article: Article, now: str, seq: int) -> dict[str, Any]:
    return {
        "id": article.id,
        "ref": article.ref,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "text": article.text,
        "removed": json.dumps([r.to_dict() for r in article.removed]),
        "meta": json.dumps(article.meta, default=str),
        "added": now,
        "seq": seq,
        "language": article.language,
    }


def _article_from_row(row: Any) -> Article:
    return Article(
        id=row["id"],
        ref=row["ref"],
        text=row["text"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        author=row["author"],
        published=row["published"],
        removed=[Removal.from_dict(r) for r in json.loads(row["removed"])],
        meta=json.loads(row["meta"]),
        language=row["language"],
    )
