"""Developer tools that are not part of the installed package: the placement and web
benchmarks (`make bench-placement`, `make bench-web`) and the README's screenshot
(`make screenshot`). Run them from the repository root as `python -m tools.<name>`."""
