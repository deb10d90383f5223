"""The local sandbox: Case wired to a built-in fake Slack workspace, in the browser.

`manage.py case_sandbox` starts it; see `docs` in the README ("Try it without
Slack"). Nothing here runs unless that command turned SANDBOX_ENABLED on.
"""
