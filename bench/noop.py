# The task every benchmark job runs: it does nothing, so a run's wall time is pure overhead.
