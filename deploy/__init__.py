"""Rinkside hosted for many fans: the cluster script, HAProxy's configuration, a protocol-level client."""
