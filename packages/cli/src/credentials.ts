// Where the site and credentials come from: flags, the environment (ours and the vendor Python SDK's names), a
// config file. The secret is never a flag value (it would land in shell history and `ps`).
import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** The site and client a command talks to. */
export interface Credentials {
  /** The site address, e.g. `yourfirm.dealcloud.com` or `http://127.0.0.1:4010` for the mock. */
  readonly site: string;
  /** The API user's client id. */
  readonly clientId: string;
  /** The API key. Never printed. */
  readonly clientSecret: string;
}

/** The connection flags every command takes. */
export interface ConnectionFlags {
  /** `--site`. */
  readonly site?: string | undefined;
  /** `--client-id`. */
  readonly clientId?: string | undefined;
  /** `--config`. */
  readonly config?: string | undefined;
  /** `--client-secret-stdin`. */
  readonly clientSecretStdin?: boolean | undefined;
}

/** The environment variables read, first match wins: ours, then the vendor Python SDK's. */
export const ENV = Object.freeze({
  site: ["DEALCLOUD_SITE", "DC_SDK_SITE_URL"],
  clientId: ["DEALCLOUD_CLIENT_ID", "DC_SDK_CLIENT_ID"],
  clientSecret: ["DEALCLOUD_CLIENT_SECRET", "DC_SDK_CLIENT_SECRET"],
  config: ["DEALCLOUD_CONFIG"],
} as const);

interface ConfigFile {
  site?: string;
  clientId?: string | number;
  clientSecret?: string;
}

/** The config file's path: `--config`, `DEALCLOUD_CONFIG`, or `$XDG_CONFIG_HOME/dealcloud/config.json` if it exists. */
function configPath(flags: ConnectionFlags, env: CliIo["env"]): { path: string; explicit: boolean } | undefined {
  const explicit = flags.config ?? env["DEALCLOUD_CONFIG"];
  if (explicit) return { path: explicit, explicit: true };
  const base = env["XDG_CONFIG_HOME"] || join(env["HOME"] || homedir(), ".config");
  return { path: join(base, "dealcloud", "config.json"), explicit: false };
}

/** Reads the config file; a missing default file is no error, a missing or malformed named one is. */
function readConfig(io: CliIo, flags: ConnectionFlags): ConfigFile {
  const where = configPath(flags, io.env);
  if (!where) return {};
  let text: string;
  try {
    text = readFileSync(where.path, "utf8");
  } catch (error) {
    if (!where.explicit && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UsageError(`Cannot read the config file ${where.path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `The config file ${where.path} is not JSON (${(error as Error).message}). Expected {"site": "yourfirm.dealcloud.com", "clientId": "106", "clientSecret": "…"}.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`The config file ${where.path} must hold a JSON object with site, clientId and clientSecret.`);
  const config = parsed as ConfigFile;
  if (config.clientSecret !== undefined && process.platform !== "win32") {
    // A secret readable by others is worth a warning, not a refusal (CI runners often relax modes).
    const mode = statSync(where.path).mode;
    if (mode & 0o077)
      io.stderr.write(
        `warning: ${where.path} holds a client secret and is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${where.path}\n`,
      );
  }
  return config;
}

const fromEnv = (env: CliIo["env"], names: readonly string[]) =>
  names.map((name) => env[name]).find((value) => value !== undefined && value !== "");

/** Reads the secret from standard input: the first line, trimmed. */
async function readSecretFromStdin(io: CliIo): Promise<string> {
  let text = "";
  for await (const chunk of io.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  const secret = text.split(/\r?\n/)[0]?.trim() ?? "";
  if (!secret) throw new UsageError("--client-secret-stdin read no secret from standard input.");
  return secret;
}

/**
 * The credentials: each of site, client id and secret from its flag, else the environment, else the config file.
 * A missing one is a {@link UsageError} naming the variable to set.
 */
export async function resolveCredentials(io: CliIo, flags: ConnectionFlags): Promise<Credentials> {
  const config = readConfig(io, flags);
  const site = flags.site ?? fromEnv(io.env, ENV.site) ?? config.site;
  if (!site)
    throw new UsageError(
      'No site: pass --site yourfirm.dealcloud.com, or set DEALCLOUD_SITE (or DC_SDK_SITE_URL), or put "site" in the config file.',
    );
  const clientId =
    flags.clientId ??
    fromEnv(io.env, ENV.clientId) ??
    (config.clientId === undefined ? undefined : String(config.clientId));
  if (!clientId)
    throw new UsageError(
      'No client id: pass --client-id, or set DEALCLOUD_CLIENT_ID (or DC_SDK_CLIENT_ID), or put "clientId" in the config file.',
    );
  const clientSecret = flags.clientSecretStdin
    ? await readSecretFromStdin(io)
    : (fromEnv(io.env, ENV.clientSecret) ?? config.clientSecret);
  if (!clientSecret)
    throw new UsageError(
      'No client secret: set DEALCLOUD_CLIENT_SECRET (or DC_SDK_CLIENT_SECRET), put "clientSecret" in the config file, or pipe it to --client-secret-stdin. It is never taken as a flag value.',
    );
  return { site, clientId, clientSecret };
}
