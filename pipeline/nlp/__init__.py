"""The spaCy pipeline: the model and the rule components that annotate a Doc."""
