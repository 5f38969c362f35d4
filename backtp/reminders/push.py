"""Sending one Web Push message (RFC 8030, encrypted per RFC 8291, signed with VAPID
per RFC 8292) with pywebpush, and what the push service's answer means for the device."""

import json
import logging
import re
from enum import Enum

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from backtp.reminders.models import Device

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds for the push service to answer


class Outcome(Enum):
    DELIVERED = "delivered"  # the push service took it
    GONE = "gone"  # the subscription has ended (404 or 410): the device was removed
    FAILED = "failed"  # anything else (logged); the device stays


def configured() -> bool:
    """Push needs the server's VAPID key pair (`manage.py vapid_keys`)."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def known_service(endpoint: str) -> bool:
    """Whether endpoint belongs to a browser's push service. Only those are accepted, so
    no one can make the server send requests to an address of their choosing."""
    return any(re.match(pattern, endpoint) for pattern in settings.PUSH_SERVICES)


def send(device: Device, payload: dict, *, ttl: int) -> Outcome:
    """Encrypt payload for the device and hand it to its push service, which keeps it
    for ttl seconds at most while the device is offline."""
    try:
        webpush(
            device.subscription_info(),
            data=json.dumps(payload),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=ttl,
            timeout=TIMEOUT,
            # A newer reminder replaces one still waiting at the push service.
            headers={"Topic": "reminder", "Urgency": "normal"},
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            device.delete()
            return Outcome.GONE
        logger.warning("Push to device %s failed: %s", device.pk, status or error)
        return Outcome.FAILED
    except requests.RequestException as error:
        logger.warning("Push to device %s failed: %s", device.pk, error)
        return Outcome.FAILED
    return Outcome.DELIVERED
