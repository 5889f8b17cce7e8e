"""Live updates for staff apps: the /ws/events WebSocket over the event bus."""
