"""The elections that ship with the library, by name.

Each example is a small file of published figures or ballots (its source and
licence are in ``README.md`` beside the files), installed with the package, so
it can be counted from any folder:

>>> import electoral, electoral.examples
>>> "kyrgyzstan-2017" in electoral.examples.names()
True
>>> kg = electoral.examples.load("kyrgyzstan-2017")
>>> electoral.tabulate(kg, "two-round", preset="kyrgyzstan-president").winner.name
'Jeenbekov'
>>> electoral.examples.path("kyrgyzstan-2017").name
'kyrgyzstan-2017.json'

On the command line an example is named ``example:NAME`` wherever a file is
expected (``electoral tabulate example:kyrgyzstan-2017 --rule two-round``).
"""

from __future__ import annotations

from electoral.examples._bundled import load, names, path

__all__ = ["load", "names", "path"]
