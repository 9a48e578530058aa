"""Evaluation of the kit's pipelines against gold corpora."""
