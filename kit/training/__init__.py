"""Training of the kit's own models from the shared corpora (NER pipelines: ``kit.training.ner``)."""
