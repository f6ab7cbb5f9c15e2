"""Scheduled and conditional events: a scandal in week 20, a regulation in week 50.

``spec.py`` holds the scenario's ``events`` section (validated like the rest of a
scenario) and ``schedule.py`` binds each event to a model through Mesa's own event
scheduling (``Model.schedule_event`` and ``schedule_recurring``).
"""
