"""The pages of the window: start, screening, runner, summary, history, settings, recovery."""
