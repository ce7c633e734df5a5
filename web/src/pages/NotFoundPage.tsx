import { Link } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { useTitle } from '../components/Title';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <div className="page">
      <ErrorMessage title="Page not found" error={new Error('There is no page at this address.')} />
      <p>
        <Link to="/">Back to the repositories</Link>
      </p>
    </div>
  );
}
