"""``python -m k8sdocs.fidelity PATH [PATH ...]`` (see tests/fidelity/README.md)."""

import sys

from k8sdocs.fidelity.runner import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
