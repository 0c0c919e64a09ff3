"""Rule packs. Each module in a pack registers one rule."""
