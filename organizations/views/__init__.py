"""Organization pages: the list, create/edit/delete, and one organization's tabs and actions."""
