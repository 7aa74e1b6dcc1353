"""Privacy (AVG): a person's data as a file, erasure, tombstones and retention."""
