"""The HTTP routes: /sparql, /queries, dumps, VoID, the service description, the feed, the landing page, search, /national."""
