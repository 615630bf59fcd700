"""Thin blueprints: parse the form, call the store, render one context."""
