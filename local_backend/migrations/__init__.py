"""The appliance's Alembic migrations; `local_backend.migrate` runs them at every start.

Additive only: appliances in restaurants carry databases of every released version, and each upgrades through
all the migrations after its own. So a released migration is never edited or regenerated (no more
`make migration-reset`); a schema change is a new one: `python -m local_backend makemigration "what changed"`.
"""
