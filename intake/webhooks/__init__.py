"""Webhooks that channel providers call directly: one module per provider, `transport` for what they share."""
