"""Exit 0 when PostgreSQL and Redis at the given URLs answer, 1 (with the reason) otherwise."""

import socket
import sys
from urllib.parse import urlparse


def reachable(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError as error:
        print(f"{parsed.scheme}://{parsed.hostname}:{parsed.port or default_port} unreachable: {error}")
        return False


if __name__ == "__main__":
    pg_url, redis_url = sys.argv[1], sys.argv[2]
    sys.exit(0 if reachable(pg_url, 5432) & reachable(redis_url, 6379) else 1)
