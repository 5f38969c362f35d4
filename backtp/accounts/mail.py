"""Emails sent after the answer, not during it.

A password reset used to render and send its email inside the request, so the answer
came about three times later for an address with an account than for one without: the
timing told whether an email is registered. send_later() hands the work to one
background thread per process and returns at once.

One worker, so emails leave in order and a slow mail server holds up only the emails,
never a request. Errors are logged, never raised into a request. At a normal exit
(gunicorn restarting a worker, a deploy) Python waits for the queue to empty; a killed
process loses what is queued, as it would lose a request in flight.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

logger = logging.getLogger("backtp.mail")

executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backtp-mail")


def _run(send: Callable[[], None]) -> None:
    try:
        send()
    except Exception:
        logger.exception("an email could not be sent")
    finally:
        # This thread outlives requests, so it closes any connection it opened itself.
        connections.close_all()


def send_later(send: Callable[[], None]) -> None:
    """Run send() (render and send one email) on the mail thread."""
    executor.submit(_run, send)


def wait_for_pending(timeout: float | None = None) -> None:
    """Block until every email queued so far has been handled (for tests): with one
    worker, the queue is first in, first out, so a no-op queued now runs last."""
    executor.submit(lambda: None).result(timeout=timeout)
