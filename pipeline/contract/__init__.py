"""The output contract: records that flow between stages, the registry of kinds, the table schemas and
the catalog row. Depends on nothing else in the package (the lexicon data aside)."""
