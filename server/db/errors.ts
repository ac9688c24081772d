// Translates driver errors into facts the services understand, per dialect, in one place.

/** True when an insert or update broke a UNIQUE constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; errno?: number; message?: string };
  if (e.code === '23505') return true; // PostgreSQL unique_violation
  if (e.code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed/.test(e.message ?? '')) return true;
  return false;
}
