"""Importing this module registers every kit component factory with spaCy."""

from kit.nlp.claims import ClaimsComponent
from kit.nlp.consistency import DocConsistency
from kit.nlp.dates import DateTagger
from kit.nlp.gazetteer import GazetteerRules
from kit.nlp.names import NameRules
from kit.nlp.orgs import OrgRules
from kit.nlp.places import PlaceRules

__all__ = ["ClaimsComponent", "DateTagger", "DocConsistency", "GazetteerRules", "NameRules", "OrgRules", "PlaceRules"]
