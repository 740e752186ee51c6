"""Short-track sources: the every-round scrape, the podium file, the results site's pages,
and the classification of a race from its heats (short track only)."""
