"""The news inbox's matcher: what a news item is about (README "News inbox").

`proposals.propose(text)` reads a text and returns the regions, organisations, candidate
projects (ranked, each with why), evidence kind and date it finds; nothing here writes.
`decisions` records what an editor decides; `imports` reads news items from spreadsheets."""
