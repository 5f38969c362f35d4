import json
from collections.abc import Callable

from django.http import HttpRequest

from backtp.journal import device


def device_owners(request: HttpRequest) -> dict[str, Callable[[], str]]:
    """The tags of what this visitor may keep on the device, as JSON, for the log-out form
    (static/js/logout.js). Computed only where a template uses it."""
    return {"device_owners": lambda: json.dumps(device.owners(request))}
