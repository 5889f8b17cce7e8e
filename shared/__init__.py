"""Code both backends use; neither backend is imported from here, and neither imports the other.

- Licensing: `lease` (the signed lease format), `wire` (heartbeat request and answer).
- Security: `security` (hashing, constant-time checks), `auth` (bearer tokens, token errors).
- Plumbing: `app` (app construction), `cli` (server options, openapi/makemigration), `db` (SQLite engine, unit
  of work, naming convention), `sqltypes`, `migrations` (Alembic), `deps`, `errors` (errors with a `code`),
  `paths` (refusing control characters in paths), `audit` (actor columns, the newest-first query).
- Values: `money` (integer minor units), `clock` (UTC time).
"""
