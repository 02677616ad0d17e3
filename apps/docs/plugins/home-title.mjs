// typedoc plugin: the home page shows its title once. typedoc puts the project name in an <h1> page title above the
// rendered README, whose own first line is `# dealcloud-ts`, so the title showed twice. On the home page only, and
// only when the README's first heading already says it, the page-title block is dropped (the README's h1, which
// has the permalink anchor, stays).
import { PageEvent } from "typedoc";

const pageTitle = /<div class="tsd-page-title">\s*<h1>([^<]*)<\/h1>\s*<\/div>/;

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    if (page.url !== "index.html" || !page.contents) return;
    const title = pageTitle.exec(page.contents);
    const readmeHeading = /<div class="tsd-panel tsd-typography">\s*<h1[^>]*>([^<]*)/.exec(page.contents);
    if (title && readmeHeading && title[1].trim() === readmeHeading[1].trim())
      page.contents = page.contents.replace(pageTitle, "");
  });
}
