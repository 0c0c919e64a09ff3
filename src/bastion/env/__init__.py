"""`bastion env`: whether the project's interpreter is isolated, and what outside the project
can change what it runs. See `target` (which interpreter, and its facts), `startup` (code that
runs at every start), `facts` (what the rules ask) and `rules/`."""
