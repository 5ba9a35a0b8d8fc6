// The SPARQL editor without a page load: run the textarea's query with fetch and show a table.
// Without JavaScript the form still works: it submits to /sparql and the server renders the table.
(function () {
  const form = document.getElementById("sparql-editor");
  const out = document.getElementById("sparql-results");
  if (!form || !window.fetch) return;
  form.addEventListener("submit", async (event) => {
    const format = form.elements.format.value;
    if (format !== "html") return; // other formats: let the browser show or download them
    event.preventDefault();
    out.textContent = "Running…";
    const body = new URLSearchParams({ query: form.elements.query.value });
    const response = await fetch(form.action, { method: "POST", body, headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
    const text = await response.text();
    out.textContent = "";
    if (!response.ok) { // the server's error shape: {status, error, detail}
      const message = document.createElement("p");
      message.setAttribute("role", "alert");
      message.className = "error";
      try { const e = JSON.parse(text); message.textContent = `${e.status} ${e.error}: ${e.detail}`; }
      catch (_) { message.textContent = `${response.status}: ${text}`; }
      out.appendChild(message); return;
    }
    if (!(response.headers.get("Content-Type") || "").includes("sparql-results+json")) {
      const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre); return;
    }
    const data = JSON.parse(text);
    if ("boolean" in data) { out.textContent = "Answer: " + data.boolean; return; }
    const table = document.createElement("table");
    const head = table.insertRow();
    data.head.vars.forEach((v) => { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    data.results.bindings.forEach((b) => {
      const row = table.insertRow();
      data.head.vars.forEach((v) => { row.insertCell().textContent = b[v] ? b[v].value : ""; });
    });
    out.appendChild(table);
  });
})();
