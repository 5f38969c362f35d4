"""Make a VAPID key pair for Web Push, printed as the two environment variables."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_pair() -> tuple[str, str]:
    """(public, private): the public key as the uncompressed P-256 point browsers take as
    applicationServerKey, the private key as its 32-byte number; both base64url."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(public), _b64url(private.private_numbers().private_value.to_bytes(32, "big"))


class Command(BaseCommand):
    help = "Print a new VAPID key pair for push reminders (keep the private key secret)."

    def handle(self, *args: object, **options: object) -> None:
        public, private = key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}")
        self.stderr.write(
            "Set both in the environment of the web server and the worker. A new pair "
            "ends every existing push subscription (browsers must subscribe again)."
        )
