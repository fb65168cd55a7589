"""Checking files like a linter: canned responses and help-centre snippets in text, Markdown, HTML and macro exports.

``sources`` reads a file into the texts it holds (``Document``), each knowing where
its characters sit in the file; ``macros`` reads Zendesk-style macro exports
(JSON or YAML); ``discovery`` turns command-line paths, folders and globs into
files; ``settings`` finds each file's settings from its folder upwards;
``run`` checks the documents; ``fixes`` writes the safe replacements back.
"""
