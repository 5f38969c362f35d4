"""pg_trgm, for the search's typo tolerance on PostgreSQL (TrigramWordSimilarity).

CreateExtension does nothing on any other database, so SQLite is unaffected. pg_trgm is
a trusted extension (PostgreSQL 13+): the database's owner may create it, no superuser
needed.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_technique_illustration"),
    ]

    operations = [
        TrigramExtension(),
    ]
