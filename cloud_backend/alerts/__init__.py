"""What the jobs found for a sysadmin to act on: stale sites and upcoming license expiries."""
