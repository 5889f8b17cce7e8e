"""Registered restaurant sites: licenses, locks, secret keys and heartbeat history."""
