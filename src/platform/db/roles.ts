/**
 * PostgreSQL roles Haven switches to. The connecting user owns the tables and runs migrations; request
 * work runs as `haven_app`, which row-level security limits to the school named in `haven.school_id`;
 * cross-school work runs as `haven_platform`, reached only through `withPlatform`. Neither role owns a
 * table or bypasses RLS, so a forgotten tenant filter returns nothing instead of another school's rows.
 */
export const APP_ROLE = 'haven_app';
export const PLATFORM_ROLE = 'haven_platform';
/** The transaction-local setting RLS policies compare `school_id` with. */
export const SCHOOL_SETTING = 'haven.school_id';
