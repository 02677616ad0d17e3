// The packed-artifact fixture: every public package `pnpm pack`ed into .build/packed/tarballs, then installed from
// those tarballs into .build/packed/fixture, a project of its own that resolves nothing from the workspace. The
// suite's files are copied in, so they import the INSTALLED packages. Done once per process, and skipped when
// nothing that goes into the tarballs changed since the last install.
// The install never asks a registry: the fixture gets a lockfile generated from the workspace's (packed-lockfile.mjs)
// and installs `--offline --frozen-lockfile` from the pnpm store that `./pnpmw install` filled. A package missing
// from the store fails the run with what to do, instead of a download that a flaky network can break.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative, sep } from "node:path";
import { stringify } from "yaml";
import { fixtureLockfile, readLockfile, workspacePins } from "./packed-lockfile.mjs";

const pkg = join(import.meta.dirname, "..");
const root = join(pkg, "../..");
export const packedDir = join(pkg, ".build/packed");
export const tarballsDir = join(packedDir, "tarballs");
export const fixtureDir = join(packedDir, "fixture");
const stampFile = join(packedDir, "stamp.json");
// Scripts that run inside the fixture (so bare imports resolve from its node_modules), copied there as NAME.mjs.
const fixtureScripts = ["guard", "surface", "publint"];
const pnpmw = join(root, "pnpmw");
const workspaceLockfile = join(root, "pnpm-lock.yaml");
// The fixture's own third-party devDependencies: the mock's optional peer msw (so `@dealcloud-ts/mock/msw` has its
// types), Node's and workerd's types for the type checks, and publint. Pinned from the workspace lockfile, so each
// must be a dependency of some workspace package (packages/conformance first).
const fixtureDevDependencies = ["msw", "@types/node", "@cloudflare/workers-types", "publint"];

/**
 * @typedef {{ name: string, dir: string, manifest: any, tarball: string }} PublicPackage
 * @typedef {{ specifier: string, pkg: string, subpath: string }} Entry  A JS entry point: `@dealcloud-ts/mock/server`.
 * @typedef {{ packages: PublicPackage[], entries: Entry[], fixture: string, cached: boolean, packMs: number, installMs: number, notes: string[] }} Fixture
 */

/** The workspace packages without `"private": true`, in folder order. */
export function publicPackages() {
  return readdirSync(join(root, "packages"))
    .sort()
    .map((folder) => join(root, "packages", folder))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({
      name: manifest.name,
      dir,
      manifest,
      // pnpm's tarball name: the scope's @ dropped, its / turned into -.
      tarball: `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`,
    }));
}

/** Every `exports` key with a "types" condition (JS entries; ./package.json and ./openapi.yaml are not). */
export function jsEntries(packages) {
  return packages.flatMap(({ name, manifest }) =>
    Object.entries(manifest.exports ?? { ".": { types: manifest.types } })
      .filter(([, target]) => typeof target === "object" && target !== null && "types" in target)
      .map(([subpath]) => ({ specifier: subpath === "." ? name : `${name}/${subpath.slice(2)}`, pkg: name, subpath })),
  );
}

/** Runs a command, collecting its output (colour codes stripped); never throws on a non-zero exit. */
export function exec(command, args, { cwd = pkg, env = {} } = {}) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: code ?? 1, output: output.replace(/\x1b\[[0-9;]*m/g, ""), ms: Date.now() - started }),
    );
  });
}

/** All files under `path` (or `path` itself), sorted, relative to `base`. */
function filesUnder(path, base) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [relative(base, path)];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name), base));
}

/** A hash of everything that decides the tarballs and the fixture's install. */
function contentHash(packages) {
  const hash = createHash("sha256");
  const add = (label, path) => hash.update(`${label}\0`).update(readFileSync(path)).update("\0");
  add("self", import.meta.filename);
  add("workspace", join(root, "pnpm-workspace.yaml"));
  add("root", join(root, "package.json"));
  add("conformance", join(pkg, "package.json"));
  add("lockfile", workspaceLockfile);
  add("lockfile generator", join(import.meta.dirname, "packed-lockfile.mjs"));
  for (const { dir, manifest } of packages) {
    add(manifest.name, join(dir, "package.json"));
    // What `files` names, plus what npm and pnpm always pack: README, LICENSE and CHANGELOG at the top.
    const always = readdirSync(dir).filter((name) => /^(readme|license|licence|changelog)(\.|$)/i.test(name));
    for (const file of [...(manifest.files ?? []), ...always].flatMap((entry) => filesUnder(join(dir, entry), dir)))
      add(`${manifest.name}/${file}`, join(dir, file));
  }
  return hash.digest("hex");
}

/** Throws unless every dependency spec in a packed manifest is a real version (no workspace: or catalog:). */
function assertResolvedSpecs(manifest) {
  const left = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"].flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([, spec]) => /^(workspace|catalog):/.test(spec))
      .map(([dep, spec]) => `${field}.${dep}: ${spec}`),
  );
  if (left.length) throw new Error(`${manifest.name}: the packed package.json still has ${left.join(", ")}`);
}

/** Reads one file out of a .tgz (via `tar`, present on every machine this runs on). */
async function readFromTarball(tarball, member) {
  const { code, output } = await exec("tar", ["-xzOf", tarball, member]);
  if (code !== 0) throw new Error(`cannot read ${member} from ${tarball}: ${output.trim()}`);
  return output;
}

/**
 * The fixture's package.json, pnpm-workspace.yaml and pnpm-lock.yaml (its own workspace root, so the outer workspace
 * is never used). `packed` maps each package name to the package.json inside its tarball.
 */
function fixtureFiles(packages, packed) {
  const tarballSpec = (pkg_) => `file:../tarballs/${pkg_.tarball}`;
  const lockfile = readLockfile(workspaceLockfile);
  const thirdParty = workspacePins(lockfile, fixtureDevDependencies, relative(root, pkg));
  const manifest = {
    name: "dealcloud-ts-packed-fixture",
    version: "0.0.0",
    private: true,
    type: "module",
    dependencies: Object.fromEntries(packages.map((pkg_) => [pkg_.name, tarballSpec(pkg_)])),
    devDependencies: Object.fromEntries(Object.entries(thirdParty).map(([name, pin]) => [name, pin.specifier])),
  };
  // Dependencies between our own packages (client's `@dealcloud-ts/auth: ^0.0.0`) must come from the tarballs
  // too, never the registry; msw's install script is not needed for types.
  const workspace = [
    "# Generated by scripts/packed-fixture.mjs: this folder is a pnpm workspace root of its own.",
    "overrides:",
    ...packages.map((pkg_) => `  "${pkg_.name}": "${tarballSpec(pkg_)}"`),
    "allowBuilds:",
    "  msw: false",
    "  esbuild: false",
    "# No hoisting into node_modules/.pnpm/node_modules: a package sees only the dependencies it declares.",
    "hoist: false",
    "",
  ].join("\n");
  const lock = fixtureLockfile({
    lockfile,
    packages: packages.map((pkg_) => ({ ...pkg_, manifest: packed.get(pkg_.name) })),
    tarballPath: (pkg_) => join(tarballsDir, pkg_.tarball),
    tarballSpec,
    thirdParty,
    workspaceImporters: Object.fromEntries(packages.map((pkg_) => [pkg_.name, relative(root, pkg_.dir)])),
  });
  return { manifest, workspace, lockfile: `${stringify(lock, { lineWidth: 0 })}` };
}

/**
 * The install's failure, explained, or undefined when it worked. pnpm only warns when an optional dependency is not
 * in the store and leaves it out; that is a failure here too, since the workspace install would have stored it.
 */
function installFailure(code, output) {
  // `https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.28.2.tgz` names @esbuild/linux-x64@0.28.2.
  const fromUrl = (url) => {
    const [, name, file] = /^https?:\/\/[^/]+\/(.+?)\/-\/(.+)\.tgz$/.exec(url) ?? ["", url, ""];
    return `${name}@${file.slice(name.split("/").at(-1).length + 1)}`;
  };
  const notInStore = [
    ...[...output.matchAll(/ERR_PNPM_NO_OFFLINE_TARBALL.*?may be downloaded from (\S+?)\.?$/gm)].map((m) =>
      fromUrl(m[1]),
    ),
    ...[...output.matchAll(/(\S+@\S+) is an optional dependency that could not be fetched/g)].map((m) => m[1]),
  ];
  if (code === 0 && notInStore.length === 0) return undefined;
  const outdated = /ERR_PNPM_(OUTDATED_LOCKFILE|LOCKFILE_CONFIG_MISMATCH|LOCKFILE_MISSING_DEPENDENCY)/.test(output);
  const why = notInStore.length
    ? `the pnpm store lacks ${[...new Set(notInStore)].join(", ")}. The fixture never downloads (it installs ` +
      "--offline from the store): run `./pnpmw install --frozen-lockfile` at the repo root to fill the store, then rerun."
    : outdated
      ? "the generated fixture lockfile does not match the fixture's package.json (a bug in scripts/packed-lockfile.mjs)."
      : "see pnpm's output below.";
  const tail = output.trim().split("\n").slice(-15).join("\n");
  return new Error(`pnpm install --offline in the fixture failed (exit ${code}): ${why}\n${tail}`);
}

/**
 * Throws unless every installed @dealcloud-ts package, and every @dealcloud-ts dependency of one, is a copy unpacked
 * from a tarball inside the fixture's virtual store (pnpm names those folders `<name>@file+<path>`), not a link to a
 * workspace folder or a registry download.
 */
function assertInstalledFromTarballs(packages) {
  const store = `${realpathSync(join(fixtureDir, "node_modules/.pnpm"))}${sep}`;
  const problems = [];
  const check = (label, link) => {
    if (!existsSync(link)) return problems.push(`${label} is not installed`);
    const real = realpathSync(link);
    if (!real.startsWith(store))
      return problems.push(`${label} resolves to ${real}, outside the fixture's node_modules/.pnpm`);
    if (!relative(store, real).split(sep)[0].includes("@file+"))
      problems.push(`${label} was not installed from a tarball (${relative(store, real)})`);
    return real;
  };
  for (const { name, manifest } of packages) {
    const real = check(name, join(fixtureDir, "node_modules", name));
    if (typeof real !== "string") continue;
    const installed = JSON.parse(readFileSync(join(real, "package.json"), "utf8"));
    if (installed.version !== manifest.version)
      problems.push(`${name}: installed ${installed.version}, the workspace has ${manifest.version}`);
    // The package's own dependencies sit beside it in its virtual store folder.
    for (const dep of Object.keys(installed.dependencies ?? {}).filter((dep) => dep.startsWith("@dealcloud-ts/"))) {
      check(`${dep} (a dependency of ${name})`, join(real, "../..", dep));
    }
  }
  if (problems.length) throw new Error(`the fixture is not isolated from the workspace:\n  ${problems.join("\n  ")}`);
}

/** Copies the suite, its harness and the process entry into the fixture, where they import the installed packages. */
function copySuite() {
  for (const file of ["src/suite.js", "src/harness.js", "runners/entry.js"]) {
    mkdirSync(join(fixtureDir, file, ".."), { recursive: true });
    cpSync(join(pkg, file), join(fixtureDir, file));
  }
  for (const name of fixtureScripts)
    cpSync(join(import.meta.dirname, `packed-${name}.mjs`), join(fixtureDir, `${name}.mjs`));
  // Deno: resolve npm packages from the fixture's own node_modules, write no lockfile.
  writeFileSync(
    join(fixtureDir, "deno.json"),
    `${JSON.stringify({ nodeModulesDir: "manual", lock: false }, null, 2)}\n`,
  );
}

async function prepare(log) {
  const packages = publicPackages();
  const missing = packages.filter(
    ({ dir, manifest }) => !existsSync(join(dir, (manifest.types ?? "dist/index.d.ts").replace(/^\.\//, ""))),
  );
  if (missing.length)
    throw new Error(`not built: ${missing.map((p) => p.name).join(", ")} (run \`./pnpmw turbo run build\` first)`);
  const notes = [];
  const hash = contentHash(packages);
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, "utf8")) : null;
  const installed = existsSync(join(fixtureDir, "node_modules/.modules.yaml"));
  if (stamp?.hash === hash && installed) {
    try {
      assertInstalledFromTarballs(packages);
      log(`pack + install: cached (content hash ${hash.slice(0, 12)} unchanged; delete .build/packed to redo)`);
      copySuite();
      return {
        packages,
        entries: jsEntries(packages),
        fixture: fixtureDir,
        cached: true,
        packMs: stamp.packMs,
        installMs: stamp.installMs,
        notes: stamp.notes ?? [],
      };
    } catch (error) {
      log(`pack + install: the cached fixture is not usable, redoing it (${error.message.split("\n")[0]})`);
    }
  }

  rmSync(packedDir, { recursive: true, force: true });
  mkdirSync(tarballsDir, { recursive: true });
  // One recursive pnpm pack over exactly the public packages (pnpm replaces workspace: and catalog: specs).
  const filters = packages.flatMap(({ name }) => ["--filter", name]);
  const pack = await exec(pnpmw, ["-r", ...filters, "pack", "--pack-destination", tarballsDir], { cwd: root });
  if (pack.code !== 0) throw new Error(`pnpm pack failed (${pack.code}):\n${pack.output}`);
  const packedManifests = new Map();
  for (const pkg_ of packages) {
    const tarball = join(tarballsDir, pkg_.tarball);
    if (!existsSync(tarball)) throw new Error(`pnpm pack wrote no ${pkg_.tarball}:\n${pack.output}`);
    const packed = JSON.parse(await readFromTarball(tarball, "package/package.json"));
    assertResolvedSpecs(packed);
    packedManifests.set(pkg_.name, packed);
    const ours = Object.entries(packed.dependencies ?? {}).filter(([dep]) => dep.startsWith("@dealcloud-ts/"));
    if (ours.length)
      notes.push(`${pkg_.name} depends on ${ours.map(([dep, spec]) => `${dep}@${spec}`).join(", ")} (was workspace:)`);
  }
  log(
    `pack: ${packages.length} tarballs in ${(pack.ms / 1000).toFixed(1)} s; workspace:/catalog: specs all replaced by versions`,
  );
  for (const note of notes) log(`pack: ${note}`);

  mkdirSync(fixtureDir, { recursive: true });
  const { manifest, workspace, lockfile } = fixtureFiles(packages, packedManifests);
  writeFileSync(join(fixtureDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(fixtureDir, "pnpm-workspace.yaml"), workspace);
  writeFileSync(join(fixtureDir, "pnpm-lock.yaml"), lockfile);
  // The fixture is its own pnpm workspace root (its pnpm-workspace.yaml), so the outer workspace never applies.
  // --trust-lockfile: the supply-chain check (release age) needs registry metadata; every third-party entry is
  // copied from the workspace lockfile, which `./pnpmw install` has already checked, and the rest are our tarballs.
  const install = await exec(
    pnpmw,
    ["install", "--offline", "--frozen-lockfile", "--trust-lockfile", "--config.confirmModulesPurge=false"],
    { cwd: fixtureDir, env: { CI: "true" } },
  );
  const failure = installFailure(install.code, install.output);
  if (failure) throw failure;
  log(`install: ${(install.ms / 1000).toFixed(1)} s (${/Packages: \+\d+/.exec(install.output)?.[0] ?? "?"})`);
  assertInstalledFromTarballs(packages);
  copySuite();
  writeFileSync(stampFile, `${JSON.stringify({ hash, packMs: pack.ms, installMs: install.ms, notes }, null, 2)}\n`);
  return {
    packages,
    entries: jsEntries(packages),
    fixture: fixtureDir,
    cached: false,
    packMs: pack.ms,
    installMs: install.ms,
    notes,
  };
}

/** @type {Promise<Fixture> | undefined} */
let once;
/** Packs and installs once per process; later callers share the result (or the failure). */
export function packedFixture(log) {
  once ??= prepare(log);
  return once;
}
