"""The read-only JSON API at /api/v1/ (README "API"): the published record only — what an
anonymous visitor of the researchers' pages sees —, page by page, under the same request
limits, with requests per minute capped per client."""
