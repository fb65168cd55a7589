// Calling the toneguard HTTP API with fetch, from a help-desk web app or Node 18+.
//
//   toneguard serve --cors-origin https://your-helpdesk.example   # allow your app's origin
//   node examples/fetch_api.js "Calm down. Reboot." "Outlook won't open!"
//
// TONEGUARD_URL (default http://127.0.0.1:8000) and TONEGUARD_TOKEN (for `serve --token-file`) are read
// when run with Node; in a browser pass them to checkDraft.

async function checkDraft(reply, customer = null, { baseUrl = "http://127.0.0.1:8000", token = null } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}/v1/analyze`, {
    method: "POST",
    headers,
    body: JSON.stringify({ reply, customer }),
    signal: AbortSignal.timeout(2000), // a slow check must not hold up sending
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`toneguard ${response.status}: ${body.detail}`);
  return body; // the same report as toneguard.analyze(...).model_dump() in Python
}

async function main() {
  const [reply, customer] = process.argv.slice(2);
  if (!reply) {
    console.error('usage: node examples/fetch_api.js "draft" ["customer message"]');
    process.exit(2);
  }
  const report = await checkDraft(reply, customer ?? null, {
    baseUrl: process.env.TONEGUARD_URL ?? "http://127.0.0.1:8000",
    token: process.env.TONEGUARD_TOKEN ?? null,
  });
  console.log(`score ${report.score}/100, flagged: ${report.categories.join(", ") || "nothing"}`);
  for (const f of report.findings) {
    console.log(`  ${f.rule_id} [${f.category}] "${f.text}": ${f.message}`);
  }
  if (report.rewrite !== report.reply) console.log(`plainer: ${report.rewrite}`);
  process.exit(report.categories.length ? 1 : 0);
}

if (typeof process !== "undefined" && process.argv?.[1]?.endsWith("fetch_api.js")) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(2);
  });
}

if (typeof module !== "undefined") module.exports = { checkDraft };
