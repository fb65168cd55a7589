"""The analysis: the Analyzer (where a reply enters), its engine, the tone, the scores and the rewrite."""
