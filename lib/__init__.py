"""Shared infrastructure: what every app may use, importing no app."""
