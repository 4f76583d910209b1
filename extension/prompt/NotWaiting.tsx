import { ErrorNotice } from '../ui/ErrorNotice';
import { useFocusOnMount } from '../ui/useFocusOnMount';

/** The prompt was answered, timed out or withdrawn by the page — or could not be loaded at all. */
export function NotWaiting({ reason }: { reason?: string }) {
  const close = useFocusOnMount<HTMLButtonElement>();
  return (
    <>
      {reason ? (
        <>
          <h1>This request could not be shown.</h1>
          <ErrorNotice message={reason} />
        </>
      ) : (
        <>
          <h1>This request is no longer waiting.</h1>
          <p class="muted">It was answered, cancelled by the site, or timed out. You can close this window.</p>
        </>
      )}
      <div class="actions">
        <button ref={close} type="button" class="primary" data-testid="close" onClick={() => window.close()}>
          Close
        </button>
      </div>
    </>
  );
}
