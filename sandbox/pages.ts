const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;background:#f5f5f7;color:#333;display:flex;align-items:center;justify-content:center;height:100vh;margin:0}
main{max-width:28rem;text-align:center}</style></head><body><main>${body}</main></body></html>`;
}

/** What customers see while maintenance mode is on, like Heroku's default page. */
export function maintenancePage(appName: string): string {
  return page(
    "Offline for Maintenance",
    `<h1>Offline for Maintenance</h1><p>This app (${escape(appName)}) is undergoing maintenance right now. Please check back later.</p>`,
  );
}

export function applicationErrorPage(appName: string, code: string): string {
  return page(
    "Application Error",
    `<h1>Application Error</h1><p>An error occurred in the application (${escape(appName)}) and your page could not be served.</p><p><small>${escape(code)}</small></p>`,
  );
}
