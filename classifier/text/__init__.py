"""Layer 1: text views — characters, normalisation, language, passages, cues and disclosure."""
