/**
 * argv → Command. Pure: no process access, throws UsageError (exit 2) for anything it cannot parse.
 */
import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { CLOUD_IDS, type CloudId } from "../model/clouds.js";

export type Command =
  | { name: "help" }
  | { name: "version" }
  | { name: "generate"; profile: string; out?: string; secrets?: string; check: boolean; force: boolean; rewrite: boolean; strict: boolean; format: OutputFormat; cloud?: CloudId }
  | { name: "validate"; profile: string; strict: boolean; json: boolean }
  | { name: "schema"; out?: string }
  | { name: "plan"; profile: string; out?: string; secrets?: string; strict: boolean; cloud?: CloudId }
  | { name: "certs-check"; profile: string; secrets?: string; strict: boolean }
  | { name: "rotate-ca"; profile: string; out?: string; secrets?: string; strict: boolean; step?: string }
  | { name: "secrets-import"; profile: string; fromPki: string; secrets?: string };

const SUBCOMMANDS = ["generate", "validate", "plan", "certs", "secrets", "schema", "help"] as const;
/** `gen certs ACTION` */
const ACTIONS: Record<string, readonly string[]> = { certs: ["check"] };
/** `gen secrets ACTION`: the actions on the secrets file */
const SECRETS_ACTIONS = ["import", "rotate-ca"] as const;

/**
 * --format: dir = the output directory; iso = it plus nodes/NODE/seed.iso (NoCloud); tar.gz / zip = it
 * plus output/NAME.tar.gz or .zip and nodes/NODE.tar.gz per node; all = every one of them.
 */
const FORMATS = ["dir", "tar.gz", "zip", "iso", "all"] as const;
export type OutputFormat = (typeof FORMATS)[number];

function parseFormat(value = "dir"): OutputFormat {
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(messages.cli.unknownFormat(value, FORMATS));
  return value as OutputFormat;
}

function parseCloud(value: string | undefined): CloudId | undefined {
  if (value === undefined) return undefined;
  if (!(CLOUD_IDS as readonly string[]).includes(value)) throw new UsageError(messages.cli.unknownCloud(value, CLOUD_IDS));
  return value as CloudId;
}

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: "string", short: "p" },
        out: { type: "string", short: "o" },
        secrets: { type: "string" },
        check: { type: "boolean" },
        force: { type: "boolean" },
        rewrite: { type: "boolean" },
        strict: { type: "boolean" },
        format: { type: "string" },
        cloud: { type: "string" },
        step: { type: "string" },
        "from-pki": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { name: "help" };
  if (v.version) return { name: "version" };
  const sub = positionals[0] ?? "generate";
  if (sub === "secrets") return secretsCommand(positionals.slice(1), v);
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(messages.cli.unknownCommand(sub, SUBCOMMANDS));
  const actions = ACTIONS[sub];
  const action = actions ? positionals[1] : undefined;
  if (actions && (!action || !actions.includes(action))) throw new UsageError(messages.cli.unknownAction(sub, action, actions));
  const words = actions ? 2 : 1;
  if (positionals.length > words) throw new UsageError(messages.cli.extraArguments(positionals.slice(words)));
  if (sub === "help") return { name: "help" };
  if (sub === "schema") return { name: "schema", out: v.out };
  if (!v.profile) throw new UsageError(positionals.length === 0 && argv.length === 0 ? messages.cli.nothingToDo : messages.cli.profileRequired);
  if (sub === "validate") return { name: "validate", profile: v.profile, strict: !!v.strict, json: !!v.json };
  if (v.json) throw new UsageError(messages.cli.jsonOnlyValidate);
  if (sub === "plan") return { name: "plan", profile: v.profile, out: v.out, secrets: v.secrets, strict: !!v.strict, cloud: parseCloud(v.cloud) };
  if (sub === "certs") return { name: "certs-check", profile: v.profile, secrets: v.secrets, strict: !!v.strict };
  return { name: "generate", profile: v.profile, out: v.out, secrets: v.secrets, check: !!v.check, force: !!v.force, rewrite: !!v.rewrite, strict: !!v.strict, format: parseFormat(v.format), cloud: parseCloud(v.cloud) };
}

/**
 * `gen secrets import --from-pki DIR --profile NAME [--secrets FILE]`,
 * `gen secrets rotate-ca --profile NAME [--step STEP] [--secrets FILE]`
 */
function secretsCommand(rest: string[], v: { profile?: string; out?: string; secrets?: string; strict?: boolean; step?: string; "from-pki"?: string }): Command {
  const [action, ...extra] = rest;
  if (!action || !(SECRETS_ACTIONS as readonly string[]).includes(action)) throw new UsageError(messages.cli.unknownCommand(`secrets ${action ?? ""}`.trim(), SECRETS_ACTIONS.map((a) => `secrets ${a}`)));
  if (extra.length) throw new UsageError(messages.cli.extraArguments(extra));
  if (!v.profile) throw new UsageError(messages.cli.profileRequired);
  if (action === "rotate-ca") return { name: "rotate-ca", profile: v.profile, out: v.out, secrets: v.secrets, strict: !!v.strict, step: v.step };
  if (!v["from-pki"]) throw new UsageError(messages.options.importPki.fromPkiRequired);
  return { name: "secrets-import", profile: v.profile, fromPki: v["from-pki"], secrets: v.secrets };
}
