// Validates Kubernetes manifests offline against the Kubernetes API schemas that the npm
// package kubernetes-models ships (compiled JSON schemas of the Kubernetes OpenAPI spec), and
// the custom resources in customResourceSchemas against their projects' schemas from the same
// family of packages. Any other kind is reported as having no schema.
//
//   node infra/validate/validate-k8s.mjs                 every *.yaml under infra/kubernetes
//   node infra/validate/validate-k8s.mjs FILE|DIR ...    those files / folders
//   kubectl kustomize infra/kubernetes | node infra/validate/validate-k8s.mjs -
//
// Prints one line per problem ("source: Kind/name: /json/path problem") and exits 1 if there
// is any, else prints "N documents valid" and exits 0. Besides the schema itself it reports
// fields the schema does not define (the schemas allow them, the API server's strict field
// validation does not, and a misspelt "readinesProbe" would otherwise pass silently) and the
// same object defined twice. kustomization.yaml files are skipped: `kubectl kustomize` checks them.
//
// Setup once: npm ci --prefix infra/validate

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import localizeEn from "ajv-i18n/localize/en/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, "..", "..");

function yamlFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return yamlFiles(child);
      return /\.ya?ml$/.test(entry.name) && !/^kustomization\.ya?ml$/.test(entry.name) ? [child] : [];
    });
}

// Custom resources the manifests use, by API group: where their compiled schemas are, up to the
// version and kind. monitoring.coreos.com: the Prometheus Operator's ServiceMonitor
// (components/monitoring). Its package does not export its _schemas folder as kubernetes-models
// does, so the schemas are imported as files, found from its package.json.
const prometheusOperatorSchemas = new URL("_schemas/", import.meta.resolve("@kubernetes-models/prometheus-operator/package.json"));
const customResourceSchemas = new Map([
  ["monitoring.coreos.com", new URL("ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoring", prometheusOperatorSchemas).href],
]);

// "apps/v1" + "Deployment" -> the compiled schema kubernetes-models/_schemas/IoK8sApiAppsV1Deployment;
// the core group ("v1") is "Core"; "rbac.authorization.k8s.io/v1" -> "Rbac";
// "monitoring.coreos.com/v1" + "ServiceMonitor" -> customResourceSchemas' entry + "V1ServiceMonitor.js".
function schemaModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const custom = customResourceSchemas.get(group);
  if (custom) return `${custom}${capital(version)}${kind}.js`;
  return `kubernetes-models/_schemas/IoK8sApi${capital(group.split(".")[0])}${capital(version)}${kind}`;
}

const validators = new Map();
async function validatorFor(apiVersion, kind) {
  const schema = schemaModule(apiVersion, kind);
  if (!validators.has(schema)) {
    try {
      validators.set(schema, (await import(schema)).validate);
    } catch {
      validators.set(schema, null);
    }
  }
  return validators.get(schema);
}

// The compiled validators read exactly the properties their schema defines (and enumerate
// maps such as labels). Watching the reads through a proxy therefore tells which fields of
// an object the schema knows; a field of a visited object that was never read is unknown.
// Objects the schema leaves open (never read at all) are not judged.
function watchReads(root) {
  const reads = new Map();
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    reads.set(value, new Set());
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === "string") reads.get(target).add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === "string") reads.get(target).add(key);
        return Reflect.has(target, key);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root), reads };
}

function unknownFields(value, reads, path, found) {
  if (value === null || typeof value !== "object") return found;
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, reads, `${path}/${i}`, found));
    return found;
  }
  const read = reads.get(value);
  const visited = read !== undefined && read.size > 0;
  for (const [key, child] of Object.entries(value)) {
    if (visited && !read.has(key)) found.push(`${path}/${key} is not a field of this object`);
    else unknownFields(child, reads, `${path}/${key}`, found);
  }
  return found;
}

async function problemsOf(document) {
  if (document === null || typeof document !== "object" || Array.isArray(document)) return ["not a Kubernetes object"];
  const { apiVersion, kind } = document;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind are required"];
  const validate = await validatorFor(apiVersion, kind);
  if (!validate) return [`no schema for ${apiVersion} ${kind}`];
  const problems = [];
  const { proxy, reads } = watchReads(document);
  if (!validate(proxy)) {
    const errors = validate.errors.map((e) => ({ ...e }));
    localizeEn(errors);
    for (const e of errors) problems.push(`${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);
  }
  unknownFields(document, reads, "", problems);
  if (typeof document.metadata?.name !== "string" || document.metadata.name.length === 0) problems.push("/metadata/name is required");
  return problems;
}

async function main(args) {
  const sources = [];
  if (args.length === 1 && args[0] === "-") {
    sources.push({ name: "stdin", text: readFileSync(0, "utf8") });
  } else {
    const roots = args.length > 0 ? args.map((a) => resolve(a)) : [join(repositoryRoot, "infra", "kubernetes")];
    for (const root of roots) {
      for (const file of yamlFiles(root)) sources.push({ name: relative(process.cwd(), file), text: readFileSync(file, "utf8") });
    }
  }

  const lines = [];
  const seen = new Map();
  let count = 0;
  for (const source of sources) {
    const documents = parseAllDocuments(source.text, { prettyErrors: true });
    for (const [index, parsed] of documents.entries()) {
      const where = `${source.name}#${index + 1}`;
      if (parsed.errors.length > 0) {
        for (const error of parsed.errors) lines.push(`${where}: YAML: ${error.message.split("\n")[0]}`);
        continue;
      }
      const document = parsed.toJS();
      if (document === null) continue; // an empty document, e.g. after a trailing ---
      count++;
      const label = `${document?.kind ?? "?"}/${document?.metadata?.name ?? "?"}`;
      for (const problem of await problemsOf(document)) lines.push(`${where}: ${label}: ${problem}`);
      const identity = `${document?.apiVersion} ${label} in ${document?.metadata?.namespace ?? "(default)"}`;
      if (seen.has(identity)) lines.push(`${where}: ${label}: defined twice (also ${seen.get(identity)})`);
      else seen.set(identity, where);
    }
  }

  if (count === 0) lines.push("no Kubernetes objects found");
  for (const line of lines) console.log(line);
  if (lines.length > 0) return 1;
  console.log(`${count} documents valid`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
