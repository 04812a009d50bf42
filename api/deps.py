"""Dependencies shared by the routes: settings, the rule-set registry, the executor, request bodies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi import Request

from api.bodies import parser_for
from api.registry import ScreenerRegistry
from api.settings import Settings

T = TypeVar("T")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_registry(request: Request) -> ScreenerRegistry:
    registry: ScreenerRegistry = request.app.state.registry
    return registry


async def run_blocking(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound work (validation, the engine) on the screening executor, off the event loop."""
    executor: ThreadPoolExecutor = request.app.state.executor
    return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)


async def request_document(request: Request) -> Any:
    """The request body, checked for media type and size, parsed into a JSON document (not yet validated)."""
    parser = parser_for(request.headers.get("content-type"))
    body = await request.body()
    depth = request.app.state.settings.max_json_depth
    if len(body) > 64 * 1024:
        return await run_blocking(request, parser, body, depth)
    return parser(body, depth)


def log_fields(request: Request, **fields: object) -> None:
    """Add fields to the request's log line (never patient data)."""
    request.state.log.update(fields)
