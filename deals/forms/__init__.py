"""Input validation of the deal pages, by area; the services decide and save."""
