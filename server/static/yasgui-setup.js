// YASGUI on the SPARQL page, pointed at this endpoint, with the project's prefixes and the saved
// queries as example tabs. Nothing is fetched from another site: the property and class
// completers (which ask lov.linkeddata.es) are off, and so is the endpoint catalogue.
(function () {
  const root = document.getElementById("yasgui");
  const config = JSON.parse(document.getElementById("yasgui-config").textContent);
  if (!root || !window.Yasgui) return; // without JavaScript or YASGUI: the plain form below
  document.getElementById("yasgui-section").hidden = false;
  const Yasgui = window.Yasgui;
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.value = config.first;
  Yasgui.Yasqe.defaults.prefixes = config.prefixes;
  Yasgui.Yasr.defaults.prefixes = config.prefixes;
  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }], keys: [] },
    persistenceId: "ofsted-kg-yasgui",
  });
  // Example tabs once, on a first visit (YASGUI keeps the user's tabs in localStorage after).
  if (yasgui.persistentConfig && !localStorage.getItem("ofsted-kg-yasgui-examples")) {
    config.examples.forEach((example) => {
      yasgui.addTab(false, { name: example.name, yasqe: { value: example.query },
                             requestConfig: { endpoint: config.endpoint, method: "POST" } });
    });
    localStorage.setItem("ofsted-kg-yasgui-examples", "1");
  }
  window.ofstedYasgui = yasgui;

  // YASGUI's markup as it comes misses a few accessibility basics (axe-core finds them): name its
  // text fields, point tabs only at panels that exist, and keep the tab list to tabs. Redone
  // whenever YASGUI redraws a part of itself.
  function tidy() {
    root.querySelectorAll("input.autocomplete:not([aria-label])").forEach((e) => e.setAttribute("aria-label", "Endpoint"));
    root.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach((e) => e.setAttribute("aria-label", "SPARQL query"));
    root.querySelectorAll(".CodeMirror-scroll:not([tabindex=\"0\"])").forEach((e) => e.setAttribute("tabindex", "0"));
    root.querySelectorAll("select.tableSizer:not([aria-label])").forEach((e) => e.setAttribute("aria-label", "Rows a page"));
    root.querySelectorAll("input.tableFilter:not([aria-label])").forEach((e) => e.setAttribute("aria-label", "Filter the results"));
    root.querySelectorAll(".tabsList input:not([aria-label])").forEach((e) => e.setAttribute("aria-label", "Tab name"));
    root.querySelectorAll("[role=tab][aria-controls]").forEach((tab) => {
      if (!document.getElementById(tab.getAttribute("aria-controls"))) tab.removeAttribute("aria-controls");
    });
    root.querySelectorAll("[role=tablist] .addTab").forEach((button) => {
      const list = button.closest("[role=tablist]"); // a tab list holds tabs only: the + goes after it
      list.after(button.parentElement === list ? button : button.parentElement);
    });
  }
  tidy();
  new MutationObserver(tidy).observe(root, { childList: true, subtree: true });
})();
