"""`bastion publish`: the release path (workflows), tokens (tree, history, `.pypirc`) and
what an upload would ship. See `yamlfile` (YAML with lines), `workflows` (publish steps of
GitHub Actions and GitLab CI), `facts` and `rules/`."""
