/** Invariant 4 of DESIGN.md: tester mode shows that it is on, wherever Latchkey shows anything. */
export function TesterBanner({ saving, onTurnOff }: { saving: boolean; onTurnOff: () => void }) {
  return (
    <div class="banner tester-banner" role="status" data-testid="tester-banner">
      <span>Tester mode is on — ceremonies are approved automatically</span>
      <button type="button" class="link" onClick={onTurnOff} disabled={saving}>
        Turn off
      </button>
    </div>
  );
}
