"""The phrase cache: one file per (engine, text, voice, rate), complete or absent, size-limited."""

from __future__ import annotations

import os
from pathlib import Path

from neck_guide.voice.cache import Phrase, PhraseCache


def put(cache: PhraseCache, phrase: Phrase, size: int, engine: str = "pyttsx3") -> Path:
    scratch = cache.scratch()
    scratch.write_bytes(b"x" * size)
    return cache.put(scratch, engine, phrase)


def test_each_of_text_voice_rate_and_engine_gives_its_own_file(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "speech")
    base = Phrase("Three", "gmw/en", 165)
    paths = {
        cache.path_for("pyttsx3", base),
        cache.path_for("pyttsx3", Phrase("Two", "gmw/en", 165)),
        cache.path_for("pyttsx3", Phrase("Three", "gmw/en-us", 165)),
        cache.path_for("pyttsx3", Phrase("Three", "gmw/en", 180)),
        cache.path_for("fake", base),
    }
    assert len(paths) == 5
    assert cache.path_for("pyttsx3", base) == cache.path_for("pyttsx3", Phrase("Three", "gmw/en", 165))


def test_nothing_is_created_until_something_is_written(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "speech")
    assert cache.get("pyttsx3", Phrase("Three")) is None
    assert not cache.root.exists()
    path = put(cache, Phrase("Three"), 100)
    assert cache.get("pyttsx3", Phrase("Three")) == path
    assert [p.name for p in cache.root.iterdir()] == [path.name], "the scratch file was moved, not copied"


def test_the_least_recently_used_phrases_go_first_when_the_folder_is_full(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "speech", max_bytes=3000)
    old, used, newer = (put(cache, Phrase(t), 1000) for t in ("old", "used", "newer"))
    os.utime(old, (1, 1))
    os.utime(used, (2, 2))
    os.utime(newer, (3, 3))
    assert cache.get("pyttsx3", Phrase("used")) == used  # a hit makes it the most recent
    put(cache, Phrase("newest"), 1000)
    assert not old.exists()
    assert used.exists() and newer.exists()
    assert cache.get("pyttsx3", Phrase("newest")) is not None


def test_a_phrase_larger_than_the_limit_is_still_kept(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "speech", max_bytes=10)
    assert put(cache, Phrase("long"), 100).exists()


def test_scratch_files_left_by_a_killed_engine_are_cleared_when_stale(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "speech")
    stale, fresh = cache.scratch(), cache.scratch()
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"being written")
    os.utime(stale, (1, 1))
    cache.prune()
    assert not stale.exists() and fresh.exists()
