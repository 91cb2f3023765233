"""Layer 3: the model as data, its training, metrics, file format, card and training data."""
