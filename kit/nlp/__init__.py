"""The kit's NLP: pipeline choice per language, and the kit's own spaCy components."""
