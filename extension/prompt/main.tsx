import { render } from 'preact';
import { PromptApp } from './PromptApp';

// The worker opens this page as .../extension/prompt/index.html?id=<promptId>.
const promptId = new URLSearchParams(location.search).get('id');

render(<PromptApp promptId={promptId} />, document.getElementById('app')!);
