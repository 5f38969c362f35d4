"""Container HEALTHCHECK: ask the local server's /healthz with a Host header it accepts."""

import os
import sys
import urllib.error
import urllib.request


def health_host(allowed_hosts: str) -> str:
    """The first concrete host in ALLOWED_HOSTS; a leading dot is dropped, "*" means localhost."""
    for host in (h.strip() for h in allowed_hosts.split(",")):
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": health_host(os.environ.get("ALLOWED_HOSTS", ""))},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
