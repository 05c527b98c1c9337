"""The researchers' pages: views, filters, search, figures, charts, the page cache (README "What you can do")."""
