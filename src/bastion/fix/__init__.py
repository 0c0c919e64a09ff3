"""`bastion audit --fix`: vulnerable pins upgraded in the files that declare them."""
