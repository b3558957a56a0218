"""The local Redis server for tests that share a cache the way production does."""

import pytest


def redis_client(url):
    """A client for `url`, or a skip when redis-py is missing or no server listens there."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not listening at {url}")
    return client
