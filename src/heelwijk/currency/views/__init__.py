"""Pages of the local currency. Each view parses input, asks a django-rules permission, calls a
selector or an action and renders; objects are looked up inside the user's current
neighbourhood, so another neighbourhood's wallet or payment is a 404, never a 403."""
