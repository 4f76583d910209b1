/** A failure, in the worker's own words, announced to screen readers as it appears. */
export function ErrorNotice({ message, context }: { message: string; context?: string }) {
  return (
    <p class="error" role="alert" data-testid="error">
      {context ? <strong>{context} </strong> : null}
      {message}
    </p>
  );
}
