"""How far each construction's attributions are trusted: one tuned number per kind.

The finders in ``rules/`` stamp these on what they find; reports and the reliability
table read them back from each attribution.
"""

from __future__ import annotations

# Confidence per construction: the share of such predictions whose cue, content and
# source all overlap one gold relation, measured on 300 PolNeAR *train* documents
# (full path, nested attributions left out). Dev only checks them (reliability table).
CONF_QUOTE = 0.91
CONF_ACCORDING = 0.86
CONF_SPEECH = 0.8
CONF_RELAY = 0.8
CONF_HEADLINE = 0.7
CONF_COGNITION = 0.48
CONF_OBJECT = 0.57
CONF_OBJECT_QUOTED = 0.79  # an object cue whose content holds a quotation
CONF_PASSIVE = 0.76
CONF_TAGGED = 0.59
CONF_DASH = CONF_QUOTE  # "― Name" after a quotation: none in PolNeAR train to fit on
