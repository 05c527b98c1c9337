"""The status rules: per-cycle status letters, the history operations, the unresolved
computation and its silence policy (docs/domain.md "Status history", "Unresolved" and "Silence policy")."""
