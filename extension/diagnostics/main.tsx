import { render } from 'preact';
import { DiagnosticsApp } from './DiagnosticsApp';
import { inspectedTabId } from './inspectedTabId';

render(<DiagnosticsApp tabId={inspectedTabId()} />, document.getElementById('app')!);
