"""The kit's spaCy component factories in one place.

Installed, spaCy finds them through the ``spacy_factories`` entry points in ``pyproject.toml``
(``spacy.blank("de").add_pipe("kit_dates")`` works without importing the kit; a test checks the
list matches ``kit.nlp.registry.KIT_COMPONENTS``). Importing this module registers them eagerly,
which the kit's own pipeline loader does, so a checkout without installed metadata works too.
"""

from kit.nlp.claims import ClaimsComponent
from kit.nlp.consistency import DocConsistency
from kit.nlp.dates import DateTagger
from kit.nlp.gazetteer import GazetteerRules
from kit.nlp.names import NameRules
from kit.nlp.orgs import OrgRules
from kit.nlp.places import PlaceRules

__all__ = ["ClaimsComponent", "DateTagger", "DocConsistency", "GazetteerRules", "NameRules", "OrgRules", "PlaceRules"]
