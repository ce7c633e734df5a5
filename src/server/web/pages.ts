// The few server-rendered pages outside the web UI: sign-in messages and Gogs' sign-in form.

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}input{display:block;width:100%;margin:.3rem 0 1rem;padding:.4rem;font:inherit}button{padding:.5rem 1.2rem;font:inherit}code{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}.error{color:#b00}';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A small HTML page; `body` must already be escaped. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Hangar</title><style>${STYLE}</style></head><body><h1>${title}</h1>${body}</body></html>`;
}

/** A sign-in that went wrong: what happened (plain text), and a way to start again. */
export function retryPage(title: string, message: string): string {
  return htmlPage(title, `<p>${escapeHtml(message)}</p><p><a href="/login">Try again</a></p>`);
}

/** Sign-in with the SCM's user name and password (Gogs), posted to /login. */
export function loginForm(provider: string, error = ''): string {
  const message = error ? `<p class="error">${escapeHtml(error)}</p>` : '';
  return htmlPage(
    'Sign in',
    `${message}<form method="post" action="/login"><label>${provider} user name<input name="username" autocomplete="username" required></label><label>Password<input name="password" type="password" autocomplete="current-password" required></label><button type="submit">Sign in</button></form>`,
  );
}
