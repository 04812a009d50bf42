"""The on-disk cache: values come back, keys depend on every part, and an unusable folder only
means computing again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from screening.core.diskcache import CACHE_ENV, DiskCache, cache_dir, cache_key


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
