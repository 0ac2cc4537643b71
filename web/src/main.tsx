import { render } from 'preact';
import { initApi } from './api';
import { App, preloadPages } from './app';
import { createAuth } from './auth';
import { loadConfig } from './config';
import './style.css';

async function start(root: HTMLElement): Promise<void> {
  // The page's chunk loads while the config does.
  preloadPages(location.pathname);
  try {
    const config = await loadConfig();
    const auth = await createAuth(config.auth);
    initApi(config, auth);
    render(<App config={config} auth={auth} />, root);
  } catch (error) {
    render(
      <main class="page">
        <h1>Image Intel could not start</h1>
        <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      </main>,
      root,
    );
  }
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  void start(root);
}
