// What went wrong, in the API's words: every page shows this instead of a blank screen.

export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

export function ErrorMessage({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  return (
    <div className="error-message" role="alert">
      <strong>{title}</strong>
      <p>{errorText(error)}</p>
    </div>
  );
}
