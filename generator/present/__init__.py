"""Present: pages, feeds, sitemap, open data, charts, share cards: what readers get."""
