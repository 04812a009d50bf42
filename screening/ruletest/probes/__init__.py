"""Boundary probes: patients just inside, exactly on and just outside every threshold and time
window of a criterion, one module per kind of measure.

A probe changes a base patient (`Probe.edit`) and says what value the probed measure then has,
derived apart from the engine: an age counted in completed years (`dates`), a value converted
with the toolkit's own table of units (`unit_table`), a window start computed on the calendar
(`dates`), a number of matching records built here (`records`). `checks.checks_for` names the
checks of a criterion's definition and builds their probes.
"""
