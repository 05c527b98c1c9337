"""The status rules: per-cycle status letters, the history operations, the unresolved
computation and its silence policy (README "Statuses" and "Unresolved")."""
