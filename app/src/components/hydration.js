// Hydrates the page's islands once the browser is idle. The WebAssembly is fetched then rather
// than preloaded with the page, so on a slow connection it never takes bandwidth from the page's
// stylesheet and images; the server-rendered page works meanwhile. Each island hydrates in a task
// of its own, so a page with a large island never blocks input for one long stretch.
((pkg, js, wasm) => {
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 1));
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  idle(async () => {
    const mod = await import(`/${pkg}/${js}.js`);
    await mod.default({ module_or_path: `/${pkg}/${wasm}.wasm` });
    mod.hydrate();
    for (const island of document.querySelectorAll("leptos-island")) {
      await nextTask();
      const hydrateIsland = mod[island.dataset.component];
      if (hydrateIsland) await hydrateIsland(island);
      else console.warn(`no WebAssembly for the island ${island.dataset.component}`);
    }
  });
})
