"""Operations: backup and restore, synthetic data, roles, security, SQLite tuning."""
