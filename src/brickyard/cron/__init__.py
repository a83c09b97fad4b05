"""Quartz cron: Databricks' ``schedule.quartz_cron_expression`` in ``schedule.timezone_id``.

brickyard's own parser and fire-time calculator, faithful to Quartz 2.3.2's ``CronExpression``
and checked against the real jar: ``tests/cron/quartz/`` holds the generator (Java)
and its answers for the tutorial's examples, leap years, month ends, ``L``/``W``/``#``,
daylight-saving changes and a few hundred random expressions.

    >>> expression = parse_cron("0 30 9 ? * MON-FRI")
    >>> expression.next_after_ms(1_774_000_000_000, java_timezone("Europe/Paris"))
    1774254600000
    >>> explain_cron(expression)
    'At 09:30:00, Monday through Friday'

Syntax: ``seconds minutes hours day-of-month month day-of-week [year]``; days of the week are
1-7 = SUN-SAT, months 1-12 = JAN-DEC (names case-insensitive); ``*``, ``a-b`` (backwards ranges
wrap: ``22-2``, ``NOV-FEB``, ``FRI-MON``), lists, ``*/n``, ``a/n``, ``a-b/n`` (a step never wraps
into the next period: month ``7/6`` is July only); ``?`` in exactly one of the day fields;
day-of-month ``L``, ``L-n`` (n <= 30), ``LW``, ``L-nW``, ``nW``; day-of-week ``L`` (alone: day 7,
Saturday), ``nL`` (last weekday n of the month), ``d#n`` (n 1-5; no fire in a month without a
fifth). Years 1970-2999; ``*`` means up to ``MAX_YEAR`` (this year + 100, as in Quartz), after
which nothing fires.

Fire times follow Quartz's ``getTimeAfter`` exactly, including around daylight-saving changes
(Quartz builds wall-clock times on a lenient ``java.util.Calendar``; see ``java_calendar``). What
that means, as the jar answers:

- A wall time that does not exist (spring forward) never fires, and nothing fires instead:
  ``0 30 2 * * ?`` in Europe/Paris fires 2026-03-28 02:30+01:00 then 2026-03-30 02:30+02:00;
  hourly ``0 0 * * * ?`` goes 01:00+01:00, 03:00+02:00. Where midnight is skipped (Havana,
  Santiago, Sao Paulo until 2019) ``0 0 0 * * ?`` skips that day.
- A wall time that happens twice (fall back) fires once, at its second, standard-time
  occurrence; the first pass through the repeated hour is skipped altogether:
  ``0 30 2 * * ?`` fires 2026-10-25 02:30+01:00; ``0 0 * * * ?`` fires 01:00+02:00, 02:00+01:00,
  03:00+01:00; ``0 */15 1-3 * * ?`` goes from 01:45+02:00 to 02:00+01:00; even ``* * * * * ?``
  jumps from 02:29:55+02:00 to 02:29:56+01:00.
- The same past 2037, where Java's zone tables end (checked up to 2040).
- ``after`` is cut to the whole second; the answer is the first fire strictly after it.

Two more Quartz behaviours kept as they are: ``nW`` for a day the month does not have reads
that day as one of the next month (Quartz's lenient calendar), which puts the nearest weekday
past the month's end, so no fire, unless the next month starts on a Saturday: then it fires on
the month's last day, a Friday (``31W`` fires on 2027-04-30 because 2027-05-01 is a Saturday,
and ``30W`` in February 2008). And ``L`` alone in day-of-week is Saturday, not "last".

Deliberate differences from Quartz 2.3.2. Each is something no user wants: Quartz silently
reading other than what is written, or crashing, hanging, never firing. Every expression this
module accepts fires exactly as in Quartz (but for 11 and 12); those below are rejected with
``CronSyntaxError`` naming the field and token (``tests/cron/test_golden.py`` checks
each against the jar's recorded answer):

1. More than 7 fields: Quartz ignores everything after the 7th.
2. Characters Quartz skips after a value: ``5X``, ``*X``, ``?X``; spelled-out names (``MONDAY``,
   ``JANUARY``, ``MON-FRIDAY``: Quartz reads three letters and drops the rest; the error
   suggests the three-letter form).
3. A step after names (``MON-FRI/2``, ``JAN/3``): Quartz drops the step (the error suggests
   numbers).
4. Step 0: Quartz reads ``*/0`` as ``*``, ``0/0`` as ``0``, ``1-5/0`` as ``1``.
5. ``W``, ``L`` or ``#`` where Quartz drops them or all but the first: ``1-15W`` (1-15),
   ``1W,15W`` (1W), ``6#3,2`` (MON#3), ``2-6#2`` (2-6), ``1-6L`` (1-6); day-of-week ``LW`` and
   ``L-3`` (Saturday), day-of-month ``L-W`` (LW).
6. Values Quartz does not check: ``0`` ending a range in a field counting from 1 (day-of-month
   ``5-0`` is 5-31 there, month ``5-0`` MAY-DEC), ``0W`` (hangs), ``0#2`` and ``9#2`` (fire on
   wrong days or never), ``99`` and ``98`` (its internal codes for ``*`` and ``?``: minute
   ``99`` fires every minute, day-of-month ``98`` means ``?``).
7. ``L`` in seconds, minutes, hours or month: accepted by Quartz, then ``getTimeAfter`` throws
   ``NoSuchElementException``.
8. ``?`` mixed with values (``?,5`` is ``?`` there) and empty list items (``1,,2``).
9. Years before 1970 or after 2999, which can never fire.
10. Whitespace: Quartz trims each field, so a stray newline after the last field becomes an
    empty 7th field that never fires; here the whole expression is stripped and only spaces and
    tabs separate fields (other control characters are errors).

and two in fire times:

11. ``L-nW`` in a month of fewer than n + 1 days (``L-30W`` in February): ``getTimeAfter`` loops
    forever (it sets day 0 or less, which rolls back into the previous month); here the month
    is skipped, as Quartz itself does for ``L-n``.
12. A fractional-second ``after``: Quartz compares ``W`` candidates against a calendar that
    holds the current wall-clock milliseconds, so its answer can change from call to call;
    here whole seconds are compared (Quartz's answer for whole-second input, which is what
    schedulers pass).

Time zones (:func:`java_timezone`): Java's ids through :mod:`zoneinfo`, Java's custom
``GMT+5`` / ``GMT+05:00`` / ``GMT-0830`` and its old three-letter ids; Java quietly uses GMT for
an id it does not know, which here is an ``InvalidInputError``; ``UTC+01:00`` and ``Z`` are
accepted too.
"""

from __future__ import annotations

from brickyard.cron.errors import CronSyntaxError
from brickyard.cron.explain import explain_cron
from brickyard.cron.expression import CronExpression, parse_cron
from brickyard.cron.timezones import java_timezone

__all__ = ["CronExpression", "CronSyntaxError", "explain_cron", "java_timezone", "parse_cron"]
