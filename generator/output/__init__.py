"""Output: staging the built site and putting it in place atomically."""
