"""A technique cites a seed document only if that document describes it.

For each technique, the words that identify it in a text (its muscle or spot, its tool,
its position or movement): a cited seed must contain every group within WINDOW
characters of the first. A seed that names the muscle but teaches another way to treat
it does not count.
"""

import re
from pathlib import Path

import pytest

from backtp.catalog.models import Source, Technique

pytestmark = pytest.mark.django_db

# About two bullet points of a seed: far enough for a heading and its instructions,
# near enough that a word in another section does not count.
WINDOW = 600

# slug -> groups of alternatives (regular expressions, case-insensitive).
DESCRIBED_BY: dict[str, tuple[str, ...]] = {
    # seed 000
    "ql-tennis-ball-side-lying": (r"\bQL\b|quadratus lumborum", r"lie on your side", r"ball"),
    "es-ball-lying-back-rolling": (r"erector spinae", r"lie on your back", r"ball"),
    "psoas-ball-face-down": (r"psoas", r"face down", r"ball", r"belly button"),
    "gmax-sit-on-ball": (r"glute", r"sit on", r"ball", r"buttocks"),
    # seed 001 (its text says "against a walk" for the wall)
    "mf-tennis-ball-wall": (r"deep spinal", r"tennis ball", r"against a wal[lk]", r"spine"),
    "gmed-thumb-strokes": (r"gluteus medius", r"thumb", r"strokes"),
    "ql-thumb-along-lowest-rib": (r"quadratus lumborum", r"thumb", r"ribcage", r"horizontally"),
    "ql-tennis-ball-under-ribs-wall": (
        r"quadratus lumborum",
        r"tennis ball",
        r"under your ribcage",
        r"roll it horizontally",
    ),
    # seed 003
    "gmed-overlap-fists": (r"both fists", r"top of the hip bone", r"sacrum"),
    "gmed-overlap-thumbs": (r"your thumbs instead of your fist", r"hip bone", r"sacrum"),
    "gmed-overlap-ball-wall": (r"sacrum", r"tennis ball", r"against a wall", r"other side"),
    "es-c7-fingertips": (r"C7-T1", r"fingertips", r"palm", r"anchor"),
    "es-c7-ball-wall": (r"shoulder blade", r"tennis ball", r"against a wall", r"circular"),
    "es-floating-rib-fists": (r"lower ribs", r"fists", r"knuckles"),
    "es-lumbosacral-fists": (r"above the sacrum", r"fists", r"discreetly"),
    "mf-two-balls-lying-back": (r"multifid", r"pair of tennis balls", r"on your back"),
    "ql-ball-lying-back": (r"\bQL\b", r"tennis ball", r"below your ribs and above your hips"),
    "ql-ball-side-lying-outer-edge": (r"lateral edge of the QL", r"onto your side", r"ball"),
    "ql-ball-wall": (r"\bQL\b", r"tennis ball", r"leaning at a slight angle against a wall"),
    "ql-fists-hands-on-hips": (r"\bQL\b", r"hands on your hips", r"fist", r"12th rib"),
    "psoas-bolster-release": (r"psoas", r"bolster"),
    # seed 004
    "gmax-massage-ball-press-release": (r"massage ball", r"pressure-and-release", r"gluts"),
    # techniques that no seed describes: their words, so that a citation added later is checked
    "psoas-fingertips-seated": (r"psoas", r"finger", r"sit|chair|seated"),
    "iliacus-fingertips-standing": (r"iliacus", r"finger", r"hip bone"),
    "mf-ball-chair-back": (r"spin", r"ball", r"chair"),
    "piriformis-ball-chair": (r"piriformis", r"ball", r"sit|chair"),
    "piriformis-ball-wall": (r"piriformis", r"ball", r"wall"),
    "gmin-ball-wall": (r"minimus", r"ball", r"wall"),
    "gmin-ball-side-lying": (r"minimus", r"ball", r"side"),
    "rectus-abdominis-fingertips-lying": (r"rectus abdomin", r"finger", r"pubic|lying"),
    "rectus-abdominis-fingertips-seated": (r"rectus abdomin", r"finger", r"sit|seated"),
    "soleus-thumbs-seated": (r"soleus", r"thumb", r"sit|seated"),
    "soleus-ball-seated": (r"soleus", r"ball", r"calf"),
}

# The wrong citations issue 14 found: the check must refuse them.
KNOWN_WRONG = [
    ("psoas-fingertips-seated", "000_8cb7dea9feb47feb.txt"),
    ("mf-ball-chair-back", "001_83efa0136990b797.txt"),
    ("mf-ball-chair-back", "003_9e969d5dec7781d0.txt"),
]


def describes(text: str, groups: tuple[str, ...]) -> bool:
    """Every group matches within WINDOW characters of a match of the first."""
    found = [[m.start() for m in re.finditer(group, text, re.IGNORECASE)] for group in groups]
    return any(
        all(any(abs(other - start) <= WINDOW for other in positions) for positions in found[1:])
        for start in found[0]
    )


def seed_texts(seed_documents: list[Path]) -> dict[str, str]:
    """Each seed's text with its runs of whitespace (non-breaking spaces too) made one space."""
    return {
        path.name: re.sub(r"\s+", " ", path.read_text(encoding="utf-8")) for path in seed_documents
    }


def test_every_seed_citation_is_backed_by_the_seeds_own_text(catalog, seed_documents) -> None:
    texts = seed_texts(seed_documents)
    unbacked = []
    for technique in Technique.objects.prefetch_related("sources"):
        for source in technique.sources.all():
            if source.kind != Source.Kind.SEED:
                continue
            groups = DESCRIBED_BY.get(technique.slug)
            if groups is None:
                unbacked.append(f"{technique.slug}: add the words that find it in {source.key}")
            elif not describes(texts[source.key], groups):
                unbacked.append(f"{technique.slug} cites {source.key}, which does not describe it")
    assert not unbacked, "\n".join(unbacked)


@pytest.mark.parametrize(("slug", "key"), KNOWN_WRONG)
def test_the_check_refuses_the_known_wrong_citations(seed_documents, slug, key) -> None:
    assert not describes(seed_texts(seed_documents)[key], DESCRIBED_BY[slug])


def test_the_check_accepts_a_right_citation_and_needs_the_words_near_each_other() -> None:
    groups = (r"psoas", r"ball", r"face down")
    assert describes("Psoas: lie face down on a massage ball.", groups)
    assert not describes("Psoas." + " filler" * 200 + " lie face down on a ball.", groups)


def test_every_technique_in_the_table_exists(catalog) -> None:
    assert set(DESCRIBED_BY) <= set(Technique.objects.values_list("slug", flat=True))
