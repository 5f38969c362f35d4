"""Every sentence shown to people is our own: no 8-word run copied from a seed document."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
RUN = 8

# Citations must quote a source's title as published; everything else is ours.
QUOTED_FIELDS = {("catalog", "source", "title"), ("catalog", "source", "key")}


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str, length: int = RUN) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + length]) for i in range(len(tokens) - length + 1)}


def strip_template(source: str) -> str:
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", source)


@pytest.fixture(scope="module")
def seed_runs(seed_documents: list[Path]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for path in seed_documents:
        found |= runs(path.read_text(encoding="utf-8"))
    return found


def copied(text: str, seed_runs: set[tuple[str, ...]]) -> list[str]:
    return [" ".join(run) for run in runs(text) & seed_runs]


def test_the_check_catches_a_copied_sentence(seed_documents, seed_runs) -> None:
    seed_text = seed_documents[0].read_text(encoding="utf-8")
    sentence = " ".join(words(seed_text)[40:52])
    assert copied(sentence.upper() + "!", seed_runs)
    assert not copied("Lean gently into the ball and breathe out slowly.", seed_runs)


@pytest.mark.django_db
def test_no_catalogue_text_copies_a_seed(catalog, seed_runs) -> None:
    hits = []
    for model in apps.get_app_config("catalog").get_models():
        text_fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField)
            and (model._meta.app_label, model._meta.model_name, field.name) not in QUOTED_FIELDS
        ]
        for obj in model.objects.all():
            for name in text_fields:
                if found := copied(getattr(obj, name), seed_runs):
                    hits.append(f"{model.__name__} {obj}: {name}: {found[0]!r}")
    assert not hits, "\n".join(hits)


def test_no_template_copies_a_seed(seed_runs) -> None:
    hits = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if found := copied(strip_template(path.read_text(encoding="utf-8")), seed_runs):
            hits.append(f"{path.relative_to(ROOT)}: {found[0]!r}")
    assert not hits, "\n".join(hits)
