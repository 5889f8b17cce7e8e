"""Periodic jobs (stale sites, expiry reminders, pruning), each slot run once across replicas."""
