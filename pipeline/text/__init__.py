"""The text kernel every stage may use: decoding and normalization, folding and tone placement, phrase
matching (one alternation builder), word splitting, spans, heading and bullet styles, policy cues shared by
segment and zones, and spaCy-exact sentence cuts beside the spaCy reference they must equal.
Depends only on `pipeline.contract` and the lexicon."""
