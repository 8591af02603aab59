// What a browser gets instead of the dashboard when the access token is missing or wrong. Static
// HTML with no script (the CSP allows none inline) and nothing it would need to fetch.

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tcpscope: ${title}</title>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

export const TOKEN_REQUIRED_PAGE = page(
  'Token required',
  `<p>This tcpscope server needs its access token.</p>
<p>Open the address that tcpscope printed when it started (it ends in <code>/?token=…</code>).
This browser will then remember the token until it is closed.</p>
<p>Scripts can send the header <code>Authorization: Bearer &lt;token&gt;</code> instead.</p>`,
);

export const TOKEN_WRONG_PAGE = page(
  'Wrong token',
  `<p>That is not this server's access token. If tcpscope was restarted, it printed a new address:
open that one.</p>`,
);
