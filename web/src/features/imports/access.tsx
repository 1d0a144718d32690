import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { MySchool } from '../../api/types.ts';
import { Page } from '../../components/page.tsx';
import { can, useSchool } from '../../session/session.tsx';

/**
 * The imports pages are for people who may import (`imports.run`); anyone else is told so plainly,
 * and the API would refuse them anyway.
 */
export function ImportsOnly({ children }: { children: (school: MySchool) => ReactNode }) {
  const school = useSchool();
  if (!can(school, 'imports.run')) {
    return (
      <Page title="You cannot import data">
        <p>
          Importing data into Haven is for your school’s data managers. Your account does not have that
          permission, so this page is not available to you.
        </p>
        <p>
          If you need to import data, ask your school’s Haven administrator to give you the data manager role.
        </p>
        <p>
          <Link to={`/schools/${school.id}`}>Go to the school home page</Link>
        </p>
      </Page>
    );
  }
  return children(school);
}
