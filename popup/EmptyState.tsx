export function EmptyState() {
  return (
    <div class="empty" data-testid="empty">
      <p>
        <strong>No passkeys yet.</strong>
      </p>
      <p class="muted">
        When a site offers to create a passkey, Latchkey asks you and keeps it here. You can then
        rename or delete it from this list.
      </p>
    </div>
  );
}
