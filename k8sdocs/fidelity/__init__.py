"""The fidelity runner: ``python -m k8sdocs.fidelity PATH [PATH ...]`` checks the model against upstream cases."""
