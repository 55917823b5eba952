"""Routing contacts to teams: teams of staff, ordered rules, and each contact's recorded decision.

Part of organizations (DESIGN.md: "organizations ... routing to teams"); intake, above it, calls
`services.route_new_contact` on every path that creates a contact. Profiles never imports this package:
the profile timeline reads a contact's route through the reverse relation names `route` and `route_changes`.
"""
