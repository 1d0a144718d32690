// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Tenant policies compared each row with haven_current_school(). Written as
// (select haven_current_school()) PostgreSQL evaluates it once per statement (an InitPlan): about a
// fifth off the time of a bulk write such as an import's results, and cheaper reads. Policies made
// after this migration are written in that form from the start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare
      policy record;
    begin
      for policy in
        select tablename, policyname, qual, with_check from pg_policies
        where schemaname = current_schema()
          and qual like '%haven_current_school()%'
          and qual not like '%SELECT haven_current_school()%'
      loop
        execute format(
          'alter policy %I on %I using (%s) with check (%s)',
          policy.policyname,
          policy.tablename,
          replace(policy.qual, 'haven_current_school()', '(select haven_current_school())'),
          replace(coalesce(policy.with_check, policy.qual), 'haven_current_school()', '(select haven_current_school())')
        );
      end loop;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare
      policy record;
    begin
      for policy in
        select tablename, policyname, qual, with_check from pg_policies
        where schemaname = current_schema() and qual like '%SELECT haven_current_school()%'
      loop
        execute format(
          'alter policy %I on %I using (%s) with check (%s)',
          policy.policyname,
          policy.tablename,
          replace(policy.qual, '( SELECT haven_current_school() AS haven_current_school)', 'haven_current_school()'),
          replace(coalesce(policy.with_check, policy.qual), '( SELECT haven_current_school() AS haven_current_school)', 'haven_current_school()')
        );
      end loop;
    end
    $$
  `.execute(db);
}
