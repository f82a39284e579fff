"""atomic-lab benign scenario: a source package with a C extension.

Seed false-positive lists: "Development toolchains compiling or configuring during installation",
"Package managers running pre/post-install scripts". pip runs setup.py, whose build_ext step
starts the C compiler (gcc -> cc1 -> as, then the linker): installer-driven child processes with
no download and no network.
"""
from setuptools import Extension, setup

setup(
    name="atomic-lab-fastsum",
    version="1.0.0",
    description="atomic-lab benign scenario package (C extension)",
    ext_modules=[Extension("atomic_lab_fastsum", sources=["fastsum.c"])],
)
