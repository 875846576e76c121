"""The public face of the national figures: pages anybody may read, without logging in.

Everything here comes from a *published release* (`mognad.national.publishing`): the frozen
national figures of `figures.json` and the open data's `organizations.csv`, never the live store
and never a draft, so a page shows exactly what was published and the same release always gives
the same page. Built view models are cached per release and language (`content.py`): a release
never changes, so a cached page is never stale.
"""
