"""On what evidence a claim identifies a weapon, where its sentence says so.

The kinds are the annotation's ``identified_by`` names (the ontology's
``mkg:IdentificationEvidenceTypes``). Only evidence the text names is found:
"official statement only" is a reading of what is absent, left to the curator.
"""

from __future__ import annotations

import re

#: Cues in a claim's sentence for each kind of identification evidence, in the order they are reported.
CUES: dict[str, re.Pattern[str]] = {
    "debris": re.compile(r"\b(debris|fragments?|wreckage|remnants?|remains of (?:the|a) missiles?)\b", re.I),
    "markings": re.compile(r"\b(markings?|serial numbers?|inscriptions?|lettering|production codes?)\b", re.I),
    "trajectory": re.compile(
        r"\b(trajector(?:y|ies)|flight paths?|launch (?:site|point|data)s?|landing points?|radar data)\b", re.I
    ),
    "intelligence": re.compile(r"\b(intelligence|declassified|our information indicates)\b", re.I),
    "imagery": re.compile(r"\b(photos?|photographs?|photographic|images?|imagery|videos?|footage)\b", re.I),
}


def identification_of(sentence: str) -> list[str]:
    """The kinds of identification evidence a sentence names.

    >>> identification_of("Images analyzed by experts indicate that the missiles may include the KN-23.")
    ['imagery']
    >>> identification_of("Investigators examined the debris and found serial numbers.")
    ['debris', 'markings']
    >>> identification_of("Russia fired five KN-23 missiles, the police said.")
    []
    """
    return [kind for kind, cue in CUES.items() if cue.search(sentence)]
