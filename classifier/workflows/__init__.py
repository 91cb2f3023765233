"""Layer 5: inputs and outputs — reading posts, scoring streams, evaluation, reports, corrections."""
