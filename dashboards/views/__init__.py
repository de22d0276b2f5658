"""Marketer pages: thin views that resolve access, parse the query, call selectors and render."""
