"""Reliability tests: the appliance as a subprocess, killed and restarted."""
