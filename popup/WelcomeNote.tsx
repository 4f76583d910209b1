/** Shown when Latchkey opens its page on first install (`?welcome=1`): what it does, in three sentences. */
export function WelcomeNote() {
  return (
    <section class="welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Latchkey is installed</h2>
      <p>
        When a site offers to create a passkey, Latchkey asks in a window of its own where to keep it: here in this browser, or on
        another device or a security key. Signing in works the same way: you pick the account in Latchkey&rsquo;s window, never in
        the page.
      </p>
      <p class="muted">Your passkeys appear below. The toolbar button opens this list at any time.</p>
    </section>
  );
}
