"""The package version, in one place for the facade, the HTTP service and the scan report."""

VERSION = "0.1.0"
