"""Layer 0: the root exception, the training configuration and the two labels."""
