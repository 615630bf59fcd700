"""factcheck's tests (a package, so that tests/browser may reuse module names)."""
