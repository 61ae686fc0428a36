import { Link } from 'react-router-dom';

export function NotFoundRoute() {
  return (
    <main className="auth-page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </main>
  );
}
