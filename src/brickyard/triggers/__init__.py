"""Schedules and triggers: Quartz schedules (fire times from :mod:`brickyard.cron`), periodic,
file arrival and continuous jobs, evaluated by the :class:`TriggerService` the server runs
(one evaluator per kind, in :data:`brickyard.triggers.evaluators.EVALUATORS`), and backfills.

Each evaluator takes the stored trigger and ``now`` and says which runs to start and when to
look again, so tests drive them with a fake clock and never sleep.
"""

from __future__ import annotations

from brickyard.triggers.service import TickReport, TriggerService

__all__ = ["TickReport", "TriggerService"]
