"""Layer 6: the command line, the HTTP service and Spark."""
