"""The ingest pipeline: files → normalized articles → segments and extraction → draft rows.

`reading` turns bytes into an `Article` (or a one-line `IngestError`), `html` reduces HTML to
text, `extraction` proposes actors, events and claims from text alone, `writer` stores one
article in one transaction. Only `writer` touches the database.
"""
