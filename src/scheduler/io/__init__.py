"""File boundary: reading instances and solutions, writing outputs atomically."""
