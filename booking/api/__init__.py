"""The JSON API for partner sites: a ninja `Router` (`router`), its schemas and its
errors; config/api.py mounts it."""
