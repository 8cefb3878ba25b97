// Test harness for the conformance suite: starts one spotform-sim child process on a free
// loopback port, builds clients of Tencent's official Node.js SDK (unmodified) pointed at it,
// and wraps the emulator's control API (/_sim/...). Each test file owns one Sim: started in
// before(), stopped in after(). Time in the emulator moves only through tick() (--tick-ms 0).
"use strict";

const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { before, after, beforeEach } = require("node:test");
const tencentcloud = require("tencentcloud-sdk-nodejs");

// spotform-sim's default credentials (spec §5).
const kSecretId = "AKIDSPOTFORMSIM000000000000000000000";
const kSecretKey = "spotform-sim-secret";
const kRegion = "ap-guangzhou";
const kZone = "ap-guangzhou-3";
const kOtherZone = "ap-guangzhou-4";
const kType = "S5.MEDIUM4";
const kImage = "img-pmqg1cw7";

function simBinary() {
  return process.env.SPOTFORM_SIM || path.resolve(__dirname, "../../build/cmd/spotform-sim");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Sim {
  // Starts spotform-sim with `extraArgs` appended to the fixed flags and waits for its port.
  // Rate limits (Tencent's per-action figures, measured in real time) are off unless asked
  // for, so that tests which tick quickly stay deterministic.
  static async start(extraArgs = [], { rateLimit = false } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spotform-conf-"));
    const portFile = path.join(dir, "port");
    const args = ["--listen", "127.0.0.1:0", "--port-file", portFile, "--tick-ms", "0",
                  ...(rateLimit ? [] : ["--no-rate-limit"]), ...extraArgs];
    const child = spawn(simBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => { output += d; });
    child.stderr.on("data", (d) => { output += d; });
    let exited = null;
    child.on("exit", (code, signal) => { exited = { code, signal }; });
    child.on("error", (err) => { exited = { error: err.message }; });

    for (let waited = 0; waited < 15000; waited += 20) {
      if (exited) break;
      const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, "utf8").trim() : "";
      if (/^\d+$/.test(text)) return new Sim(child, dir, Number(text), () => output);
      await sleep(20);
    }
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`spotform-sim (${simBinary()}) did not write its port file; ` +
                    `exit=${JSON.stringify(exited)} output:\n${output}`);
  }

  constructor(child, dir, port, output) {
    this.child_ = child;
    this.dir_ = dir;
    this.port = port;
    this.output = output;
    this.endpoint = `127.0.0.1:${port}`;
    // The SDK's connections (keep-alive), closed in stop() so the sim can exit at once.
    this.agent_ = new http.Agent({ keepAlive: true });
  }

  async stop() {
    this.agent_.destroy();
    if (this.child_.exitCode === null && this.child_.signalCode === null) {
      const gone = new Promise((resolve) => this.child_.once("exit", resolve));
      this.child_.kill("SIGTERM");
      const timer = setTimeout(() => this.child_.kill("SIGKILL"), 3000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir_, { recursive: true, force: true });
  }

  // SDK client config; `overrides` may replace credential or region.
  clientConfig(overrides = {}) {
    return {
      credential: overrides.credential || { secretId: kSecretId, secretKey: kSecretKey },
      region: overrides.region || kRegion,
      profile: {
        httpProfile: {
          endpoint: this.endpoint, protocol: "http://", reqTimeout: 30, agent: this.agent_,
        },
      },
    };
  }
  cvm(overrides) { return new tencentcloud.cvm.v20170312.Client(this.clientConfig(overrides)); }
  batch(overrides) {
    return new tencentcloud.batch.v20170312.Client(this.clientConfig(overrides));
  }

  // One control API call (its own connection, not kept alive); returns the parsed JSON body
  // (or null for an empty body) and fails the test unless the status is 200.
  control(method, route, body) {
    const data = body === undefined ? "" : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request({
        host: "127.0.0.1", port: this.port, path: `/_sim/${route}`, method, agent: false,
        headers: data ? { "Content-Type": "application/json",
                          "Content-Length": Buffer.byteLength(data) } : {},
      }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => { text += chunk; });
        res.on("end", () => {
          try {
            assert.equal(res.statusCode, 200, `${method} /_sim/${route} -> ${res.statusCode}: ${text}`);
            resolve(text ? JSON.parse(text) : null);
          } catch (e) {
            reject(e);
          }
        });
      });
      request.on("error", reject);
      request.end(data);
    });
  }
  reset() { return this.control("POST", "reset", {}); }
  tick(count = 1) { return this.control("POST", "tick", { count }); }
  market(zone, instanceType, price, capacity) {
    return this.control("POST", "market",
                        { zone, instance_type: instanceType, price, capacity });
  }
  // The market as GET /_sim/market lists it: { offers: [...], spot_quota: [...] }.
  marketListing() { return this.control("GET", "market"); }
  // Sets the spot quota in vCPUs of `zone`, or of every zone without one; null = unlimited.
  quota(vcpus, zone) {
    return this.control("POST", "quota", zone === undefined ? { vcpus } : { zone, vcpus });
  }
  reclaim(instanceIds) { return this.control("POST", "reclaim", { instance_ids: instanceIds }); }
  faults(body) { return this.control("POST", "faults", body); }
  requests() { return this.control("GET", "requests"); }
  async instances() {
    const body = await this.control("GET", "instances");
    assert.ok(Array.isArray(body), `GET /_sim/instances is not an array: ${JSON.stringify(body)}`);
    return body;
  }

  // Ticks one at a time until `check()` resolves truthy; fails after `limit` ticks.
  async tickUntil(check, what, limit = 30) {
    for (let i = 0; i <= limit; i++) {
      const value = await check();
      if (value) return value;
      if (i < limit) await this.tick(1);
    }
    assert.fail(`still not ${what} after ${limit} ticks`);
  }
}

// Registers the hooks of a describe() block whose tests share one emulator: it starts before
// them (with `args`) and stops after them, and before each test it is reset and, when
// `market` is given ([zone, type, price, capacity]), that market is set. `started` receives
// { sim, cvm, batch } (the Sim and SDK clients of it) once it runs.
function useSim(started, { args = [], market = null } = {}) {
  let sim = null;
  before(async () => {
    sim = await Sim.start(args);
    started({ sim, cvm: sim.cvm(), batch: sim.batch() });
  });
  after(async () => { await sim.stop(); });
  beforeEach(async () => {
    await sim.reset();
    if (market) await sim.market(...market);
  });
}

// The charge fields of a one-time spot request bidding `maxPrice` (RunInstances, and the
// EnvData of a Batch compute environment).
function spotCharge(maxPrice) {
  return {
    InstanceChargeType: "SPOTPAID",
    InstanceMarketOptions: {
      MarketType: "spot",
      SpotOptions: { MaxPrice: maxPrice, SpotInstanceType: "one-time" },
    },
  };
}

// A SPOTPAID RunInstances request; `extra` adds or overrides fields.
function spotRequest({ zone = kZone, type = kType, count = 1, maxPrice = "0.50" } = {},
                     extra = {}) {
  return {
    ...spotCharge(maxPrice),
    Placement: { Zone: zone },
    InstanceType: type,
    ImageId: kImage,
    InstanceCount: count,
    ...extra,
  };
}

// Awaits `promise`, which must reject with an SDK error carrying exactly `code` and a
// RequestId (the SDK throws TencentCloudSDKHttpException with .code and .requestId).
async function expectCode(promise, code) {
  let error = null;
  try {
    const value = await promise;
    assert.fail(`expected ${code}, got success: ${JSON.stringify(value)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    error = e;
  }
  assert.equal(error.code, code, `error: ${error.message}`);
  assert.match(error.requestId, /\S/, "an API error carries a RequestId");
  return error;
}

// Runs `fn` while `new Date()` (which the SDK reads for X-TC-Timestamp) and Date.now() are
// shifted by `offsetMs`; the real Date is restored afterwards, even on failure.
async function withClockShift(offsetMs, fn) {
  const RealDate = globalThis.Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...args);
    }
    static now() { return RealDate.now() + offsetMs; }
  }
  globalThis.Date = ShiftedDate;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

// DescribeInstances of `ids`, as a map id -> Instance.
async function describeById(cvm, ids) {
  const out = await cvm.DescribeInstances({ InstanceIds: ids, Limit: 100 });
  return new Map(out.InstanceSet.map((i) => [i.InstanceId, i]));
}

module.exports = {
  Sim, useSim, spotCharge, spotRequest, expectCode, withClockShift, describeById, sleep,
  kSecretId, kSecretKey, kRegion, kZone, kOtherZone, kType, kImage,
};
