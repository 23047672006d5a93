"""Named test personas and helpers shared by every test module."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with test-sized cost parameters (production uses Django's defaults)."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
