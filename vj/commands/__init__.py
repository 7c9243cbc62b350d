"""Sub-commands of `vj`; each module has ``register(subparsers)``."""
