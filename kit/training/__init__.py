"""Training of the kit's own spaCy pipelines from the shared corpora (see ``kit.training.ner``)."""
