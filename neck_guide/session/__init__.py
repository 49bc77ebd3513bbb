"""The rules the pages show, in plain Python (no Qt): what a session may do next, client codes,
steps and visits, recovery, exports. Pages only show these and relay what the user does."""
