"""`python -m sakip_xl` runs the sakip-xl command."""

from .cli import main

main()
