"""The build cache beside the stages: what the last build read and wrote."""
