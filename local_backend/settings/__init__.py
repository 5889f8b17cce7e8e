"""Site settings: the restaurant's name, timezone, currency, tax mode and day-close options, kept in the database."""
