"""HTTP plumbing shared by the routes: formats and negotiation, rendering, errors, the WSGI server, the public URL."""
