"""Inert module installed by the atomic-lab T1546.016 test package."""
VALUE = "atomic-lab"
