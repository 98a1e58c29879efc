"""The temporal-expression engine: find dates, times, durations and sets in text and resolve
them against a reference day, as TIMEX3 values (TempEval-3).

``timexes.find_timexes`` is the entry point. It tokenises (``context``), proposes
candidates with rules for spans (``spans``), calendar dates (``dates``), periods
(``periods``) and relative expressions (``relative``), and resolves each to a value
(``values``); ``words`` holds the vocabularies. Scored by ``storyline eval timex``.
"""

from storyline.temporal.timexes import find_timexes

__all__ = ["find_timexes"]
