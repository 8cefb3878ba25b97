#!/usr/bin/env node
// Generates providers/sim/api_models.json from the official Tencent Cloud Node.js SDK's
// TypeScript models (the version pinned in tests/conformance/package-lock.json).
//
// For each action spotform-sim serves, it records the request interface and every interface
// that one references, transitively: field -> {type, required}. A type is one of
//   {"type": "string"} | {"type": "number"} | {"type": "boolean"} | {"type": "any"}
//   {"type": "object", "ref": "<InterfaceName>"} | {"type": "array", "items": <type>}
// and `required` is true when the field has no `?` in the .d.ts.
//
// Usage: node tools/gen-api-models.js [--sdk DIR] [--out FILE]
// (run `cd tests/conformance && npm ci` first). No dependencies beyond Node itself.
'use strict';

const fs = require('fs');
const path = require('path');

const kRepo = path.resolve(__dirname, '..');
const kActions = {
  cvm: [
    'RunInstances', 'DescribeInstances', 'DescribeInstancesStatus', 'TerminateInstances',
    'DescribeZoneInstanceConfigInfos', 'InquiryPriceRunInstances', 'DescribeAccountQuota',
  ],
  batch: [
    'CreateComputeEnv', 'DescribeComputeEnv', 'DescribeComputeEnvs', 'ModifyComputeEnv',
    'TerminateComputeNode', 'TerminateComputeNodes', 'DeleteComputeEnv',
    'DescribeComputeEnvActivities', 'DescribeCvmZoneInstanceConfigInfos',
  ],
};
const kApiVersion = '2017-03-12';

function parseArgs(argv) {
  const args = {
    sdk: path.join(kRepo, 'tests/conformance/node_modules/tencentcloud-sdk-nodejs'),
    out: path.join(kRepo, 'providers/sim/api_models.json'),
  };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || i + 1 >= argv.length) {
      throw new Error(`usage: gen-api-models.js [--sdk DIR] [--out FILE] (bad: ${argv[i]})`);
    }
    args[key] = path.resolve(argv[i + 1]);
  }
  return args;
}

// Reads every `export interface Name { field?: Type; ... }` block of a .d.ts file.
function parseInterfaces(text) {
  const interfaces = new Map();
  const lines = text.split('\n');
  let current = null;
  for (const line of lines) {
    const open = line.match(/^export interface (\w+)\s*\{\s*$/);
    if (open) {
      current = {name: open[1], fields: []};
      continue;
    }
    if (current === null) continue;
    if (/^\}\s*$/.test(line)) {
      interfaces.set(current.name, current.fields);
      current = null;
      continue;
    }
    const field = line.match(/^\s+(\w+)(\?)?:\s*(.+);\s*$/);
    if (field) current.fields.push({name: field[1], optional: field[2] === '?', type: field[3]});
  }
  return interfaces;
}

// Turns a TypeScript type expression into the JSON type description above.
function convertType(expr, interfaces, warnings, where) {
  const t = expr.trim();
  const array = t.match(/^Array<(.+)>$/);
  if (array) return {type: 'array', items: convertType(array[1], interfaces, warnings, where)};
  if (t.endsWith('[]')) {
    return {type: 'array', items: convertType(t.slice(0, -2), interfaces, warnings, where)};
  }
  if (t.includes('|')) {
    const parts = t.split('|').map((p) => p.trim()).filter((p) => p !== 'null' && p !== 'undefined');
    if (parts.every((p) => p === 'number' || p === 'bigint')) return {type: 'number'};
    if (parts.length === 1) return convertType(parts[0], interfaces, warnings, where);
    warnings.push(`${where}: union type ${t} treated as any`);
    return {type: 'any'};
  }
  if (t === 'string') return {type: 'string'};
  if (t === 'number' || t === 'bigint') return {type: 'number'};
  if (t === 'boolean') return {type: 'boolean'};
  if (t === 'any' || t === 'unknown' || t === 'object') return {type: 'any'};
  if (/^\w+$/.test(t) && interfaces.has(t)) return {type: 'object', ref: t};
  warnings.push(`${where}: type ${t} treated as any`);
  return {type: 'any'};
}

// Collects the request interface of each action and everything it references.
function collectProduct(product, actions, interfaces, warnings) {
  const types = {};
  const pending = actions.map((a) => `${a}Request`);
  while (pending.length > 0) {
    const name = pending.pop();
    if (name in types) continue;
    const fields = interfaces.get(name);
    if (fields === undefined) throw new Error(`${product}: interface ${name} not found`);
    const out = {};
    for (const field of fields) {
      const type = convertType(field.type, interfaces, warnings, `${product}.${name}.${field.name}`);
      out[field.name] = Object.assign(type, {required: !field.optional});
      for (let t = type; t; t = t.items) {
        if (t.ref && !(t.ref in types)) pending.push(t.ref);
      }
    }
    types[name] = out;
  }
  // Sorted keys keep the committed file's diffs readable.
  return Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]]));
}

function main() {
  const args = parseArgs(process.argv);
  const sdkPackage = JSON.parse(fs.readFileSync(path.join(args.sdk, 'package.json'), 'utf8'));
  const warnings = [];
  const result = {
    comment: 'Generated by tools/gen-api-models.js from the official SDK models; do not edit.',
    source: {
      package: sdkPackage.name,
      version: sdkPackage.version,
      files: [],
    },
    api_version: kApiVersion,
    actions: {},
    types: {},
  };
  for (const [product, actions] of Object.entries(kActions)) {
    const rel = `tencentcloud/services/${product}/v20170312/${product}_models.d.ts`;
    result.source.files.push(rel);
    const interfaces = parseInterfaces(fs.readFileSync(path.join(args.sdk, rel), 'utf8'));
    for (const action of actions) {
      result.actions[action] = {product, request: `${action}Request`};
    }
    result.types[product] = collectProduct(product, actions, interfaces, warnings);
  }
  fs.writeFileSync(args.out, JSON.stringify(result, null, 1) + '\n');
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const count = Object.values(result.types).reduce((n, t) => n + Object.keys(t).length, 0);
  process.stderr.write(`wrote ${args.out}: ${Object.keys(result.actions).length} actions, ` +
                       `${count} interfaces (SDK ${sdkPackage.version})\n`);
}

main();
