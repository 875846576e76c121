"""Publishing a year's national figures: drafts, a correction window, versioned releases.

The national coordinator *drafts* a year (`actions.draft_year`): a frozen snapshot of the stored,
door-released national figures, each organization's published row and the files made from them
(open data, the research dataset, the status report) is written to the database as bytes with
their sha256 (`snapshot.take`), never recomputed afterwards. Key users see their organization's
rows (`PublicationOrganization`) and may flag an error within the draft's correction window
(`actions.flag_error`). The coordinator makes a new draft for a correction and *publishes* one
(`actions.publish_draft`): an immutable `PublishedRelease` numbered 1, 2, … per year; a later
version carries an errata note and the earlier ones stay downloadable.

Reads for other code (the public pages, the API): `queries.latest_release(year=None)`,
`queries.releases(year=None)`, `queries.release(year, version)`; a release's files by name with
`PublishedRelease.file(name)` and its national figures with `PublishedRelease.figures()`.
"""
