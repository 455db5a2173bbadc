"""`python -m funnelcalc`."""

from funnelcalc.cli import main

main()
