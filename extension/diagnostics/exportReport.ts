import type { DiagnosticsReport } from '../../src/diagnostics/report';

/** The report as a file: JSON, with the summary as its first member so a ticket shows it first. */
export function reportFile(report: DiagnosticsReport): { url: string; name: string; text: string } {
  const { summary, ...rest } = report;
  const text = JSON.stringify({ summary, ...rest }, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  return { url, text, name: `latchkey-diagnostics-${report.createdAt.replace(/[:.]/g, '-')}.json` };
}
