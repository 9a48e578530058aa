"""Tables: Arrow schemas (the one source of truth), Parquet writing and publishing, the manifest."""

from kit.tables.schemas import SCHEMA_VERSION, SCHEMAS, TABLE_NAMES

__all__ = ["SCHEMAS", "SCHEMA_VERSION", "TABLE_NAMES"]
