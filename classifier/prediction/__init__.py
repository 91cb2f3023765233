"""Layer 4: the predictor and exact explanations."""
