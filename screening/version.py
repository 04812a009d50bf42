from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    ENGINE_VERSION = version("trial-screening")
except PackageNotFoundError:  # running from a source tree that is not installed
    ENGINE_VERSION = "0.0.0+source"
