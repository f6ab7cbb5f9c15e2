"""The version of swarmsim, written here only.

``setup.py`` reads it into the wheel's metadata; ``swarmsim --version``, results'
``manifest.json``, sweep run ids and the CHANGELOG's latest version header
(``tests/test_packaging.py``) all agree with it.
"""

__version__ = "0.1.0"
