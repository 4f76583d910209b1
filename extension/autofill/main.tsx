import { render } from 'preact';
import { AutofillApp } from './AutofillApp';

// The bridge frames this page as .../extension/autofill/index.html#<requestId>.
const requestId = decodeURIComponent(location.hash.slice(1));

render(<AutofillApp requestId={requestId} />, document.getElementById('app')!);
