"""Check a draft reply before it is sent: `python examples/quickstart.py`."""

import toneguard

draft = "Your profile is corrupt. Reboot."
customer = "I can't open Outlook and I have a client call in 10 minutes!"

report = toneguard.analyze(draft, customer=customer)

print(f"score {report.score}/100, flagged: {', '.join(map(str, report.categories)) or 'nothing'}")
for finding in report.findings:
    print(f"  {finding.rule_id} [{finding.category}] {finding.text!r}: {finding.message}")
    for suggestion in finding.suggestions:
        print(f"      try: {suggestion}")
print("plain-English rewrite:", report.rewrite)

# Analysing many replies? Build one Analyzer and reuse it: rules and pipelines load once.
analyzer = toneguard.Analyzer(toneguard.Config(disable=["TG310"]))
print(analyzer.analyze("No problem at all, happy to help!").categories)
