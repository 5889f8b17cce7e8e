"""Licensing on the appliance: heartbeats to the cloud, the signed lease it answers with, and enforcement.

See decision.py for the states, manager.py for heartbeats and the in-memory status the order routes check,
and keys.py for which signing keys the appliance trusts.
"""
