"""The role taxonomy of the annotation schema (``ANNOTATION.md``).

The keys and their ``digital`` flag are the schema of the output, not a rule
a user tunes, so they live here rather than in a pattern file.
"""

from __future__ import annotations

DIGITAL_CATEGORIES = frozenset(
    {
        "cdo",
        "digital_officer",
        "digital_pilot",
        "digital_manager",
        "smart_city",
        "it_head",
        "digital_executive",
        "it_provider_head",
        "security_privacy",
        "other_digital",
    }
)
OTHER_CATEGORIES = frozenset({"mayor", "executive", "council", "staff", "external"})
CATEGORIES = DIGITAL_CATEGORIES | OTHER_CATEGORIES
# Posts that one person holds at a time in a municipality or organisation (for a given title): a later
# holder's start ends an earlier holder's tenure. Digitallotsen, council members or an IT provider's
# Geschäftsführer come in numbers and do not succeed each other.
SINGLE_HOLDER_CATEGORIES = frozenset(
    {"cdo", "digital_officer", "smart_city", "it_head", "digital_executive", "security_privacy", "mayor"}
)


def is_digital(category: str) -> bool:
    """Whether a role category counts as a digital role."""
    if category not in CATEGORIES:
        raise KeyError(f"unknown role category {category!r}")
    return category in DIGITAL_CATEGORIES
