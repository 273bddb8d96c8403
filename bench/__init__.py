"""The portal's benchmark, outside the product: `python -m bench` (or `make bench`).

It is not a Django app and no settings list it: it has no models, templates or migrations, and the
installations it is not meant for (production) should not carry a command that creates and deletes a
vendor. It drives the portal as a page or a job does, through their public entry points:
bench.benchmark measures, bench.command parses the options and prints the table.
"""
