"""One module per subcommand, each with `add_arguments(parser)` and `run(args) -> int`.

`cli.py` imports only the module of the command being run, which keeps start-up fast.
"""
