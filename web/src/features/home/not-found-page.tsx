import { Link } from 'react-router';
import { Page } from '../../components/page.tsx';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>If you typed the web address, check it is correct. If you followed a link, it may be out of date.</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </Page>
  );
}
