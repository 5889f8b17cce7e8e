"""The appliances' heartbeat: authenticate the site, record it, answer with a signed lease."""
