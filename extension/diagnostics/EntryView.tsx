import type { DescribedRecord } from '../../src/diagnostics/describeRecord';
import { formatDateTime } from '../ui/format';

const OPERATION_LABELS: Record<string, string> = {
  create: 'create()',
  get: 'get()',
  'signal-unknown-credential': 'signalUnknownCredential()',
  'signal-all-accepted-credentials': 'signalAllAcceptedCredentials()',
  'signal-current-user-details': 'signalCurrentUserDetails()',
};

function outcomeText({ record }: DescribedRecord): string {
  const { outcome } = record;
  if (outcome.status === 'success') return 'succeeded';
  if (outcome.status === 'pending') return 'pending';
  return outcome.name;
}

function Field({ label, value }: { label: string; value: unknown }) {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return null;
  const text = Array.isArray(value) ? value.join(', ') : value === null ? 'not given' : String(value);
  return (
    <>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </>
  );
}

export function EntryView({
  entry,
  selected,
  onSelect,
}: {
  entry: DescribedRecord;
  selected: boolean;
  onSelect(on: boolean): void;
}) {
  const { record, decoded, explanation } = entry;
  const { request } = record;
  const status = record.outcome.status;
  const id = `entry-${record.seq ?? record.key}`;
  return (
    <li
      class={`entry entry-${status}`}
      data-testid="entry"
      data-operation={record.operation}
      data-outcome={outcomeText(entry)}
      data-code={explanation.code ?? ''}
      data-answered-by={record.answeredBy}
    >
      <input
        type="checkbox"
        aria-label="Include in the report"
        data-testid="select-entry"
        checked={selected}
        onChange={(event) => onSelect(event.currentTarget.checked)}
      />
      <details>
        <summary>
          <span class="time">{formatDateTime(record.startedAt)}</span>{' '}
          <strong>{OPERATION_LABELS[record.operation] ?? record.operation}</strong> <span class="origin">{record.origin}</span>{' '}
          <span class={`badge badge-${status}`}>{outcomeText(entry)}</span>{' '}
          <span class="muted">
            by {record.answeredBy === 'latchkey' ? 'Latchkey' : 'the browser'}
            {record.durationMs !== null ? `, ${record.durationMs} ms` : ''}
          </span>
          {status !== 'success' ? (
            <p class="cause" data-testid="cause">
              {explanation.cause}
            </p>
          ) : null}
        </summary>
        <section aria-labelledby={`${id}-explanation`}>
          <h3 id={`${id}-explanation`}>Explanation</h3>
          <p data-testid="explanation-cause">{explanation.cause}</p>
          <p>
            <strong>Fix:</strong> <span data-testid="fix">{explanation.fix}</span>
          </p>
          {explanation.evidence.length > 0 ? (
            <ul data-testid="evidence">
              {explanation.evidence.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
          {record.outcome.status === 'error' ? (
            <p class="muted">
              The page got {record.outcome.name}: {record.outcome.message}
              {record.outcome.code ? ` (Latchkey code ${record.outcome.code})` : ''}
            </p>
          ) : null}
        </section>
        <section>
          <h3>Request</h3>
          <dl>
            <Field label="Top-level origin" value={record.topOrigin} />
            <Field label="Frame origin" value={record.origin} />
            <Field label="Tab / frame" value={`${record.tabId} / ${record.frameId}`} />
            <Field label="rpId" value={request.rpId ?? 'not given (the origin\u2019s host)'} />
            <Field label="rp name" value={request.rpName} />
            <Field label="User name" value={request.userName} />
            <Field label="Display name" value={request.userDisplayName} />
            <Field
              label="User handle"
              value={request.userId !== undefined ? `${request.userId} (${request.userIdLength} bytes)` : undefined}
            />
            <Field
              label="Challenge"
              value={request.challengeLength !== undefined ? `${request.challengeLength} bytes` : undefined}
            />
            <Field label="allowCredentials" value={request.allowCredentials} />
            <Field label="excludeCredentials" value={request.excludeCredentials} />
            <Field label="Algorithms" value={request.algorithms} />
            <Field label="residentKey" value={request.residentKey} />
            <Field label="Attachment" value={request.authenticatorAttachment} />
            <Field label="userVerification" value={request.userVerification} />
            <Field label="attestation" value={request.attestation} />
            <Field label="mediation" value={request.mediation} />
            <Field label="timeout" value={request.timeout} />
            <Field label="hints" value={request.hints} />
            <Field label="extensions" value={request.extensions} />
            <Field label="Credential IDs" value={request.credentialIds} />
          </dl>
        </section>
        {decoded ? (
          <section>
            <h3>Response, decoded</h3>
            <pre data-testid="decoded">{JSON.stringify(decoded, null, 2)}</pre>
          </section>
        ) : null}
      </details>
    </li>
  );
}
