"""Online backups of the appliance's SQLite file, their rotation, and restoring one (see service.py)."""
