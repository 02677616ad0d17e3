// Copied into the packed fixture as surface.mjs and run there (under guard.mjs) by scripts/packed-checks.mjs:
// imports each entry given on the command line from the installed packages and prints one JSON line,
// { [specifier]: { exports: [names of its runtime exports] } | { error: "why the import failed" } }.
const surface = {};
for (const specifier of process.argv.slice(2)) {
  try {
    surface[specifier] = { exports: Object.keys(await import(specifier)).sort() };
  } catch (error) {
    surface[specifier] = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
console.log(JSON.stringify(surface));
