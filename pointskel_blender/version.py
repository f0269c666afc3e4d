"""The add-on's version (the manifest's, checked by a test), in a module of its own so that what records
it on a rig needs nothing else from the package root."""
__version__ = "0.1.0"
