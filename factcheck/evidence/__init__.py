"""Evidence that does not rot: each cited source fetched and kept (:mod:`.archive`: a WARC
record, its extracted text, SHA-256, status, type, final address, time), the reviewer's
excerpt looked for in it (:mod:`.excerpts`) and the link checked again later (:mod:`.links`).

The background work (:mod:`.work`) opens its own connection from a database path, so that it
runs on the job queue, in ``factcheck sources check`` or in a test alike; the records live in
:mod:`factcheck.store.evidence`.
"""
