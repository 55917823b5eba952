"""List pages (a table with filters or pages) are class-based views; every other page and action is a function view."""
