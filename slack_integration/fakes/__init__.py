"""Loopback stand-ins for Slack, used by the tests, the sandbox and the benchmarks."""
