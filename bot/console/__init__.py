"""The officer console (issue 18): a small Sanic web app on the same database and functions
as the ``tracer`` CLI, with accounts, roles, CSRF-protected forms and an audit log."""
