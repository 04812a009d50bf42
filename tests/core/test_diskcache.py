"""The on-disk cache: values come back, keys depend on every part, and an unusable folder only
means computing again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from screening.core.diskcache import CACHE_ENV, DiskCache, DiskMemo, cache_dir, cache_key


def test_a_stored_value_comes_back(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    key = cache_key("below", "icd10cm", "C44", "simple-icd-10-cm", "1.5.0")
    assert cache.get("below", key) is None
    assert cache.put("below", key, {"answer": ["C44", "C44.0"]})
    assert DiskCache(tmp_path).get("below", key) == {"answer": ["C44", "C44.0"]}
    assert not [p for p in tmp_path.rglob(".tmp-*")]  # written atomically, nothing left behind


def test_keys_depend_on_every_part() -> None:
    assert cache_key("a", "1.5.0") != cache_key("a", "1.5.1")
    assert cache_key(["a", "b"]) != cache_key(["ab"])
    assert cache_key("a", 1) == cache_key("a", 1)


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "deep" / "er")
    assert cache.put("k", "00ff", [1, 2])
    assert cache.get("k", "00ff") == [1, 2]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_only_means_computing_again(tmp_path: Path) -> None:
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        cache = DiskCache(tmp_path / "cache")
        assert cache.put("k", "00ff", 1) is False
        assert cache.get("k", "00ff") is None
    finally:
        tmp_path.chmod(stat.S_IRWXU)


def test_a_folder_that_is_a_file_only_means_computing_again(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = DiskCache(blocker)
    assert cache.put("k", "00ff", 1) is False
    assert cache.get("k", "00ff") is None


def test_an_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    cache.put("k", "00ff", 1)
    (tmp_path / "k" / "00" / "00ff.json").write_text("{not json")
    assert cache.get("k", "00ff") is None


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "trial-screening"


def _memo(folder: Path, version: str = "1", **kw: int) -> DiskMemo:
    return DiskMemo("answers", lambda: ["pkg", version], cache=DiskCache(folder), **kw)


def test_remembered_answers_come_back_in_another_process(tmp_path: Path) -> None:
    first = _memo(tmp_path)
    assert first.get("d:mg/dL") is None
    first.put("d:mg/dL", {"[mass]": 1, "[length]": -3})
    first.put("f:bad", "'furlongs' is not a UCUM unit")
    assert first.get("d:mg/dL") == {"[mass]": 1, "[length]": -3}  # at once, in this process
    assert _memo(tmp_path).get("d:mg/dL") is None  # written on flush (at exit), not on every answer
    assert first.flush()
    again = _memo(tmp_path)
    assert again.get("d:mg/dL") == {"[mass]": 1, "[length]": -3}
    assert again.get("f:bad") == "'furlongs' is not a UCUM unit"


def test_answers_of_other_versions_are_never_read(tmp_path: Path) -> None:
    old = _memo(tmp_path, version="1")
    old.put("q", 1.5)
    old.flush()
    assert _memo(tmp_path, version="2").get("q") is None


def test_answers_of_two_processes_are_merged(tmp_path: Path) -> None:
    a, b = _memo(tmp_path), _memo(tmp_path)
    a.get("x"), b.get("x")  # both read the (empty) entry before either writes
    a.put("a", 1.0)
    b.put("b", 2.0)
    assert a.flush() and b.flush()
    merged = _memo(tmp_path)
    assert (merged.get("a"), merged.get("b")) == (1.0, 2.0)


def test_the_table_is_bounded(tmp_path: Path) -> None:
    memo = _memo(tmp_path, limit=3, max_name=10)
    for i in range(5):
        memo.put(f"u{i}", float(i))
    memo.put("a-very-long-unit-name", 9.0)  # odd input is not remembered
    memo.flush()
    again = _memo(tmp_path)
    assert [again.get(f"u{i}") for i in range(5)] == [0.0, 1.0, 2.0, None, None]
    assert again.get("a-very-long-unit-name") is None


def test_an_unwritable_memo_only_means_computing_again(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    memo = _memo(blocker)
    memo.put("a", 1.0)
    assert memo.get("a") == 1.0
    assert memo.flush() is False
    (tmp_path / "ok" / "answers").mkdir(parents=True)
    good = _memo(tmp_path / "ok")
    good.put("a", 1.0)
    good.flush()
    next(p for p in (tmp_path / "ok").rglob("*.json")).write_text("[1, 2")  # a torn or foreign entry
    assert _memo(tmp_path / "ok").get("a") is None
