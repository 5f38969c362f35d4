from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """backtp's own user model, in place from the start so it can grow without a data migration."""
