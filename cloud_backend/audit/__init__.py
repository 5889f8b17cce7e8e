"""The audit trail of every sysadmin action (and what the jobs noticed)."""
