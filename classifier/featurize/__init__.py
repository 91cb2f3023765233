"""Layer 2: the NumPy featuriser and linear scorer, and its scikit-learn face."""
