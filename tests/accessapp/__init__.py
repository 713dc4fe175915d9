"""A test-only app with one record that carries the access policy's facts, so that the policy can
be exercised before the content apps exist. Installed only by config/settings/test.py."""
