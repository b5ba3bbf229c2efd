"""Assessor overrides, the seal, and ``verify`` naming exactly what was edited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from simulator.errors import StoreError
from simulator.store import Session, SqliteStore, Tamper, TurnRecord, open_store
from simulator.store.seal import SealItem, canonical_json, chain

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
SIGNED = dt.datetime(2026, 11, 25, 11, 30, tzinfo=dt.UTC)
CARD = {"criteria": {"phases": {"score": 2.5, "max": 4}, "promise": {"score": 3, "max": 4}}}

needs_cli = pytest.mark.skipif(shutil.which("sqlite3") is None, reason="sqlite3 CLI missing")


@pytest.fixture
def store() -> Iterator[SqliteStore]:
    with open_store() as opened:
        assert isinstance(opened, SqliteStore)
        yield opened


def recorded(store: SqliteStore) -> Session:
    """A finished assessment with four turns, a card and two overrides (not sealed)."""
    session = store.create_session(
        trainee="Claire Martin",
        mode="assessment",
        assessor="Jean Dupuis",
        scenario_id="oubli",
        scenario_title="Oubli après changement de comptable",
        scenario_hash="sha256:abc",
        lang="fr",
        seed=7,
        call_date=dt.date(2026, 11, 25),
        rubric_id="default",
        rubric_version="1",
        rubric_hash="sha256:r",
        started_at=T0,
    )
    lines = [
        TurnRecord(0, "debtor", "Allô, Garage Lefort ?", node="decroche", variant="a",
                   mood={"anger": 2, "trust": 5, "patience": 6}),
        TurnRecord(1, "trainee", "Bonjour Monsieur Lefort, Claire Martin.",
                   acts=[{"label": "greeting", "confidence": 0.95}], entities=[],
                   register="vous", engine_ms=0.21),
        TurnRecord(2, "debtor", "Je n'ai rien reçu.", node="nie", variant="b",
                   tags=["resistance"], mood={"anger": 4, "trust": 4, "patience": 5}),
        TurnRecord(3, "trainee", "Pouvez-vous régler 400 € vendredi ?",
                   acts=[{"label": "proposal", "confidence": 0.8}],
                   entities=[{"kind": "amount", "value": 400.0, "currency": "EUR"}]),
    ]  # fmt: skip
    for turn in lines:
        store.append_turn(session.id, turn, {"at": turn.index})
    store.finish_session(session.id, "promise", CARD, T0 + dt.timedelta(minutes=6), score=5.5)
    store.add_override(session.id, "phases", 3.5, "La découverte était complète", "Jean Dupuis")
    store.add_override(session.id, "promise", 2, "Date non confirmée par écrit", "Jean Dupuis")
    return store.get(session.id)


@pytest.fixture
def sealed(store: SqliteStore) -> Session:
    session = recorded(store)
    store.seal(session.id, "Jean Dupuis", SIGNED)
    return store.get(session.id)


def tamper(store: SqliteStore, sql: str, *params: Any) -> None:
    """Edit the file behind the store's back, with Python's sqlite3 module."""
    conn = sqlite3.connect(store.location)
    with conn:
        conn.execute(sql, params)
    conn.close()


def sqlite_cli(store: SqliteStore, sql: str) -> None:
    """Edit the file behind the store's back, with the ``sqlite3`` command-line tool."""
    subprocess.run(["sqlite3", store.location, sql], check=True, capture_output=True)


# -- overrides -------------------------------------------------------------------------


def test_overrides_keep_the_automatic_score(store: SqliteStore) -> None:
    session = recorded(store)
    assert session.card == CARD  # untouched by the overrides
    assert [(o.number, o.criterion, o.score) for o in session.overrides] == [
        (1, "phases", 3.5),
        (2, "promise", 2.0),
    ]
    again = store.add_override(session.id, "phases", 4, "Relu : très bien", "Anne Roux")
    assert again.number == 3
    got = store.get(session.id)
    assert [o.score for o in got.overrides_for("phases")] == [3.5, 4.0]
    assert got.final_scores() == {"phases": 4.0, "promise": 2.0}
    assert got.card == CARD


@pytest.mark.parametrize("justification", ["", "   \n "])
def test_an_override_needs_a_justification(store: SqliteStore, justification: str) -> None:
    session = recorded(store)
    with pytest.raises(StoreError, match="needs a justification") as caught:
        store.add_override(session.id, "phases", 3, justification, "Jean Dupuis")
    assert caught.value.hint
    with pytest.raises(StoreError, match="assessor"):
        store.add_override(session.id, "phases", 3, "Pourquoi pas", " ")
    with pytest.raises(StoreError, match="finite"):
        store.add_override(session.id, "phases", float("nan"), "Pourquoi pas", "Jean")
    assert len(store.get(session.id).overrides) == 2


# -- sealing ---------------------------------------------------------------------------


def test_seal_records_the_sign_off_and_the_chain(store: SqliteStore, sealed: Session) -> None:
    assert sealed.seal is not None
    assert (sealed.seal.by, sealed.seal.at) == ("Jean Dupuis", SIGNED)
    assert len(sealed.seal.hash) == 64
    assert store.list_sessions()[0].sealed
    raw = sqlite3.connect(store.location)
    items = raw.execute(
        "SELECT kind, ref, hash FROM seal_items WHERE session_id = ? ORDER BY position",
        (sealed.id,),
    ).fetchall()
    assert [(k, r) for k, r, _ in items] == [
        ("session", None),
        ("turn", 0),
        ("turn", 1),
        ("turn", 2),
        ("turn", 3),
        ("card", None),
        ("override", 1),
        ("override", 2),
        ("sign-off", None),
    ]
    assert items[-1][2] == sealed.seal.hash
    # The link rule, recomputed by hand: sha256(previous link + canonical JSON of the item).
    turn = raw.execute(
        "SELECT idx, speaker, text, node, variant, tags, mood, recorded_at FROM turns"
        " WHERE session_id = ? AND idx = 0",
        (sealed.id,),
    ).fetchone()
    raw.close()
    content = {
        "index": turn[0],
        "speaker": turn[1],
        "text": turn[2],
        "node": turn[3],
        "variant": turn[4],
        "tags": json.loads(turn[5]),
        "mood": json.loads(turn[6]),
        "recorded_at": turn[7],
    }
    text = items[0][2] + json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == items[1][2]
    sign_off = items[-2][2] + canonical_json({"at": SIGNED.isoformat(timespec="microseconds"),
                                              "by": "Jean Dupuis"})  # fmt: skip
    assert hashlib.sha256(sign_off.encode()).hexdigest() == sealed.seal.hash


def test_canonical_json_is_stable() -> None:
    value = {"b": [1, 2.5, 1e-7], "a": "Élodie €", "c": None, "d": {"z": True, "y": 3.0}}
    assert canonical_json(value) == (
        '{"a":"Élodie €","b":[1,2.5,1e-07],"c":null,"d":{"y":3.0,"z":true}}'
    )
    with pytest.raises(ValueError):
        canonical_json({"x": float("inf")})
    # None-valued fields are left out of an item: a column added later does not break seals.
    assert chain([SealItem("card", None, {"card": 1, "extra": None})]) == chain(
        [SealItem("card", None, {"card": 1})]
    )


def test_an_untouched_seal_verifies(store: SqliteStore, sealed: Session) -> None:
    report = store.verify(sealed.id)
    assert report.ok and report.problems == ()
    assert report.computed_hash == report.seal_hash == sealed.seal.hash  # type: ignore[union-attr]
    assert "intact" in report.describe()
    other = recorded(store)
    assert not store.verify(other.id).sealed
    assert "not sealed" in store.verify(other.id).describe()
    assert [r.session_id for r in store.verify_all()] == [sealed.id]
    with open_store() as reopened:
        assert reopened.verify(sealed.id).ok


def test_only_a_finished_call_can_be_sealed(store: SqliteStore) -> None:
    session = store.create_session(
        trainee="Bob", mode="assessment", scenario_id="s", scenario_title="S",
        scenario_hash="h", lang="fr", seed=1, call_date=dt.date(2026, 11, 25),
    )  # fmt: skip
    with pytest.raises(StoreError, match="only a finished call can be sealed"):
        store.seal(session.id, "Jean Dupuis")
    with pytest.raises(StoreError, match="assessor"):
        store.seal(session.id, "  ")


def test_a_sealed_session_refuses_every_change(store: SqliteStore, sealed: Session) -> None:
    attempts: dict[str, Callable[[], object]] = {
        "append_turn": lambda: store.append_turn(sealed.id, TurnRecord(4, "debtor", "…")),
        "save_snapshot": lambda: store.save_snapshot(sealed.id, {}),
        "add_override": lambda: store.add_override(sealed.id, "phases", 4, "Relu", "Jean"),
        "save_card": lambda: store.save_card(sealed.id, {"criteria": {}}),
        "finish_session": lambda: store.finish_session(sealed.id, "refusal"),
        "resume_session": lambda: store.resume_session(sealed.id),
        "seal": lambda: store.seal(sealed.id, "Anne Roux"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(StoreError, match="session sealed") as caught:
            attempt()
        assert "verify" in caught.value.hint, name
    assert store.get(sealed.id) == sealed
    assert store.verify(sealed.id).ok


# -- tampering ---------------------------------------------------------------------------


@needs_cli
def test_verify_names_a_turn_edited_with_the_sqlite3_tool(
    store: SqliteStore, sealed: Session
) -> None:
    sqlite_cli(
        store,
        "UPDATE turns SET text='Pouvez-vous régler 40 € vendredi ?'"
        f" WHERE session_id='{sealed.id}' AND idx=3",
    )
    report = store.verify(sealed.id)
    assert not report.ok
    assert report.problems == (Tamper("turn 3", "changed", ("text",)),)
    assert "turn 3: text changed" in report.describe()
    assert report.computed_hash != report.seal_hash


@needs_cli
def test_verify_names_every_field_edited(store: SqliteStore, sealed: Session) -> None:
    sqlite_cli(
        store,
        f"UPDATE turns SET acts='[]', register='tu' WHERE session_id='{sealed.id}' AND idx=1;"
        f" UPDATE turns SET mood='{{\"anger\":0}}' WHERE session_id='{sealed.id}' AND idx=2;",
    )
    problems = store.verify(sealed.id).problems
    assert problems == (
        Tamper("turn 1", "changed", ("acts", "register")),
        Tamper("turn 2", "changed", ("mood",)),
    )


def test_verify_names_the_card(store: SqliteStore, sealed: Session) -> None:
    card = json.loads(json.dumps(CARD))
    card["criteria"]["phases"]["score"] = 4
    tamper(store, "UPDATE cards SET card = ? WHERE session_id = ?", json.dumps(card), sealed.id)
    assert store.verify(sealed.id).problems == (Tamper("card", "changed", ("card",)),)


def test_verify_names_an_override(store: SqliteStore, sealed: Session) -> None:
    tamper(
        store,
        "UPDATE overrides SET score = 4.0 WHERE session_id = ? AND number = 2",
        sealed.id,
    )
    tamper(
        store,
        "UPDATE overrides SET justification = 'x' WHERE session_id = ? AND number = 1",
        sealed.id,
    )
    assert store.verify(sealed.id).problems == (
        Tamper("override 1", "changed", ("justification",)),
        Tamper("override 2", "changed", ("score",)),
    )


def test_verify_names_the_sign_off_and_the_header(store: SqliteStore, sealed: Session) -> None:
    tamper(store, "UPDATE sessions SET sealed_by = 'Anne Roux' WHERE id = ?", sealed.id)
    tamper(store, "UPDATE sessions SET outcome = 'refusal', score = 9 WHERE id = ?", sealed.id)
    assert store.verify(sealed.id).problems == (
        Tamper("session", "changed", ("outcome", "score")),
        Tamper("sign-off", "changed", ("by",)),
    )


def test_verify_sees_rows_removed_and_added(store: SqliteStore, sealed: Session) -> None:
    tamper(store, "DELETE FROM turns WHERE session_id = ? AND idx = 2", sealed.id)
    tamper(
        store,
        "INSERT INTO overrides VALUES (?, 3, 'phases', 4, 'ajout', 'X', '2026-11-26')",
        sealed.id,
    )
    report = store.verify(sealed.id)
    assert report.problems == (
        Tamper("turn 2", "removed"),
        Tamper("override 3", "added"),
    )
    assert "turn 2 removed after sealing" in report.describe()
    assert "override 3 added after sealing" in report.describe()


def test_verify_sees_an_unreadable_edit_and_a_forged_seal(
    store: SqliteStore, sealed: Session
) -> None:
    tamper(store, "UPDATE turns SET acts = '{oops' WHERE session_id = ? AND idx = 3", sealed.id)
    tamper(store, "UPDATE sessions SET seal_hash = ? WHERE id = ?", "0" * 64, sealed.id)
    assert store.verify(sealed.id).problems == (
        Tamper("turn 3", "changed", ("acts",)),
        Tamper("seal", "seal altered", ("hash",)),
    )


def test_verify_all_lists_every_sealed_session(store: SqliteStore, sealed: Session) -> None:
    second = recorded(store)
    store.seal(second.id, "Anne Roux", SIGNED)
    tamper(store, "UPDATE turns SET text = 'x' WHERE session_id = ? AND idx = 0", second.id)
    reports = {r.session_id: r for r in store.verify_all()}
    assert reports[sealed.id].ok
    assert reports[second.id].problems == (Tamper("turn 0", "changed", ("text",)),)
    # Un-sealing by hand does not hide a session from verify.
    tamper(store, "UPDATE sessions SET seal_hash = NULL, sealed_at = NULL WHERE id = ?",
           sealed.id)  # fmt: skip
    report = store.verify(sealed.id)
    assert report.sealed and not report.ok
    assert Tamper("sign-off", "changed", ("at",)) in report.problems
