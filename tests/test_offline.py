"""The whole analysis works with no network: any connection attempt fails the test."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_fresh_process_analyses_with_sockets_forbidden():
    script = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise RuntimeError("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        import toneguard
        report = toneguard.analyze(
            "Obviously you should reauthenticate. The DNS cache is stale, so reboot.",
            customer="Outlook won't open and I have a call!",
        )
        assert report.metrics.flesch_kincaid_grade is not None
        assert report.metrics.flesch_reading_ease is not None
        assert {"dismissive", "technical"} <= set(report.categories), report.categories
        print("offline-ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "offline-ok" in result.stdout
