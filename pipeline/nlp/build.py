"""The nlp stage: a spaCy pipeline of a statistical model plus rule components.

:func:`build_pipeline` loads the model asked for, or the best installed German
model, or (when none is installed) a blank German pipeline, and adds the rule
components after it::

    gender_forms          merges ``Digitallots`` ``:`` ``innen`` into one token
    -> model (tok2vec, tagger, parser, ner ...; without a model punctuation_sentences, the sentencizer's rule)
       with line_sentences  sentence starts after headlines and paragraphs (before the parser)
    -> organisation_ruler span ruler with organisations.jsonl and it_providers.jsonl
    -> municipal_places   gazetteer places and place adjectives; completes ``Stadt Porta`` -> ``Stadt Porta Westfalica``
    -> role_ruler         span_ruler with roles.jsonl
    -> compound_titles    titles by composition from the title lexicon (title_*.jsonl)
    -> municipal_persons  names anchored on first names and role titles
    -> entity_merger      model entities + rule spans -> doc.ents
    -> sentence_index     ``Span.sent`` by bisection over the sentence starts
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.util import is_package

from pipeline.config import DEFAULT_MODEL, FALLBACK_MODELS, GAZETTEER_MIN_POPULATION, MODEL_INSTALL_HINT
from pipeline.nlp import components, compound_titles, fast_ruler  # noqa: F401  (register the component factories)
from pipeline.nlp.components import ORGANISATIONS_KEY, ROLE_TITLES_KEY
from pipeline.rules.cues import load_cues
from pipeline.rules.lexicon import load_lexicon
from pipeline.rules.patterns import load_it_provider_patterns, load_organisation_patterns, load_role_patterns

log = logging.getLogger(__name__)

RULES_ONLY = "rules-only"
# Components of a model that the extraction does not use: skipping them saves time.
UNUSED_COMPONENTS = ("lemmatizer", "attribute_ruler", "morphologizer", "senter")
# Components that set sentence starts; a pipeline without any of them (or a parser) gets ``punctuation_sentences``.
SENTENCE_SETTERS = ("punctuation_sentences", "sentencizer", "senter")


class ModelNotFoundError(RuntimeError):
    """The spaCy model asked for is not installed."""


@dataclass(frozen=True)
class PipelineInfo:
    """Which model the pipeline runs and why."""

    model: str  # package name, path, or RULES_ONLY
    requested: str | None
    fallback_reason: str = ""


def load_base_model(requested: str | None) -> tuple[Language, PipelineInfo]:
    """The statistical model to build on.

    ``requested`` is a package name or a path to a pipeline folder; a model
    asked for explicitly must exist. With ``None`` the default model is used
    when installed, else the best installed German model, else a blank German
    pipeline (rules only), and the reason is returned for one clear warning.
    """
    if requested is not None:
        if Path(requested).exists():
            return _load(requested), PipelineInfo(requested, requested)
        if is_package(requested):
            return _load(requested), PipelineInfo(requested, requested)
        raise ModelNotFoundError(
            f"spaCy model {requested!r} is neither an installed package nor a pipeline folder. "
            f"Install the default model with: {MODEL_INSTALL_HINT}"
        )
    for candidate in (DEFAULT_MODEL, *FALLBACK_MODELS):
        if is_package(candidate):
            reason = (
                ""
                if candidate == DEFAULT_MODEL
                else (
                    f"{DEFAULT_MODEL} is not installed; using {candidate}. For the best results: {MODEL_INSTALL_HINT}"
                )
            )
            return _load(candidate), PipelineInfo(candidate, None, reason)
    nlp = spacy.blank("de")
    nlp.add_pipe("punctuation_sentences")
    reason = (
        f"No German spaCy model is installed; running rules only (persons, organisations and places "
        f"from patterns and gazetteers). For statistical NER: {MODEL_INSTALL_HINT}"
    )
    return nlp, PipelineInfo(RULES_ONLY, None, reason)


def _load(name_or_path: str) -> Language:
    nlp = spacy.load(name_or_path)
    present = [name for name in UNUSED_COMPONENTS if name in nlp.pipe_names]
    if present and not nlp.has_pipe("parser") and "senter" in present:
        present.remove("senter")  # without a parser, the senter gives the sentences
    for name in present:
        nlp.disable_pipe(name)
    if not any(nlp.has_pipe(name) for name in ("parser", *SENTENCE_SETTERS)):
        nlp.add_pipe("punctuation_sentences", first=True)
    return nlp


def add_rule_components(nlp: Language, *, pattern_dirs: Iterable[Path] = ()) -> Language:
    """Add the rule components and their pattern data to ``nlp``."""
    pattern_dirs = tuple(pattern_dirs)
    for mark in load_cues(pattern_dirs).words["caption_marks"]:
        if mark.endswith("."):
            # ``(v.li.: A, B)``: a caption mark is one token, not a sentence end
            for spelling in (mark, mark.capitalize()):
                nlp.tokenizer.add_special_case(spelling, [{ORTH: spelling}])
    nlp.add_pipe("gender_forms", first=True)
    if nlp.has_pipe("parser"):
        nlp.add_pipe("line_sentences", before="parser")  # the parser keeps sentence starts set before it
    else:
        sentence_setters = [name for name in nlp.pipe_names if name in SENTENCE_SETTERS]
        nlp.add_pipe("line_sentences", after=sentence_setters[-1])
    organisation_ruler = nlp.add_pipe(
        "cached_span_ruler",
        name="organisation_ruler",
        config={"spans_key": ORGANISATIONS_KEY, "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}},
    )
    organisation_ruler.add_patterns(
        [
            p.as_ruler_pattern()
            for p in [*load_organisation_patterns(pattern_dirs), *load_it_provider_patterns(pattern_dirs)]
        ]
    )
    nlp.add_pipe("municipal_places", config={"min_population": GAZETTEER_MIN_POPULATION})
    role_ruler = nlp.add_pipe(
        "cached_span_ruler",
        name="role_ruler",
        config={
            "spans_key": ROLE_TITLES_KEY,
            "phrase_matcher_attr": "LOWER",
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
        },
    )
    role_ruler.add_patterns([p.as_ruler_pattern() for p in load_role_patterns(pattern_dirs)])
    composer = nlp.add_pipe("compound_titles")
    if pattern_dirs:
        composer.set_lexicon(load_lexicon(pattern_dirs))
    nlp.add_pipe("municipal_persons")
    nlp.add_pipe("entity_merger")
    nlp.add_pipe("sentence_index")
    return nlp


def build_pipeline(model: str | None = None, *, pattern_dirs: Iterable[Path] = ()) -> tuple[Language, PipelineInfo]:
    """The full nlp stage; logs one warning when it falls back from the default model."""
    nlp, info = load_base_model(model)
    if info.fallback_reason:
        log.warning(info.fallback_reason)
    return add_rule_components(nlp, pattern_dirs=pattern_dirs), info
