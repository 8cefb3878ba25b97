// Request-level errors through the official Node.js SDK: signature checks (wrong key, unknown
// SecretId, stale timestamp), undefined/missing/mistyped fields, unknown actions, and the
// HTTP 200 error envelope the SDK parses.
"use strict";

const assert = require("node:assert/strict");
const { describe, it, before, after } = require("node:test");
const {
  Sim, spotRequest, expectCode, withClockShift, kSecretId, kSecretKey, kZone, kType,
} = require("./sim_harness");

describe("authentication and request envelope", () => {
  let sim;
  before(async () => {
    sim = await Sim.start([], { rateLimit: true });
    await sim.market(kZone, kType, 0.1, 10);
  });
  after(async () => { await sim.stop(); });

  it("accepts the SDK's signature over a custom endpoint (service \"127\")", async () => {
    const out = await sim.cvm().DescribeInstances({});
    assert.equal(out.TotalCount, 0);
    assert.match(out.RequestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const out2 = await sim.batch().DescribeComputeEnvs({});
    assert.equal(out2.TotalCount, 0);
  });

  it("rejects a wrong secret key with AuthFailure.SignatureFailure", async () => {
    const cvm = sim.cvm({ credential: { secretId: kSecretId, secretKey: "not-the-key" } });
    const error = await expectCode(cvm.DescribeInstances({}), "AuthFailure.SignatureFailure");
    assert.ok(!error.message.includes("not-the-key"));
    assert.ok(!error.message.includes(kSecretKey), "the secret never appears in an error");
  });

  it("rejects an unknown SecretId with AuthFailure.SecretIdNotFound", async () => {
    const cvm = sim.cvm({
      credential: { secretId: "AKIDUNKNOWN00000000000000000000000000", secretKey: kSecretKey },
    });
    await expectCode(cvm.DescribeInstances({}), "AuthFailure.SecretIdNotFound");
  });

  it("rejects a timestamp more than 5 minutes old with AuthFailure.SignatureExpire", async () => {
    const cvm = sim.cvm();
    await withClockShift(-10 * 60 * 1000, () =>
      expectCode(cvm.DescribeInstances({}), "AuthFailure.SignatureExpire"));
    await withClockShift(+10 * 60 * 1000, () =>
      expectCode(cvm.DescribeInstances({}), "AuthFailure.SignatureExpire"));
  });

  it("accepts a timestamp within the 5-minute window", async () => {
    const cvm = sim.cvm();
    const out = await withClockShift(-2 * 60 * 1000, () => cvm.DescribeInstances({}));
    assert.equal(out.TotalCount, 0);
  });

  it("a signature failure creates nothing and is logged with its code", async () => {
    const cvm = sim.cvm({ credential: { secretId: kSecretId, secretKey: "not-the-key" } });
    await expectCode(cvm.RunInstances(spotRequest()), "AuthFailure.SignatureFailure");
    assert.deepEqual(await sim.instances(), []);
    const log = await sim.requests();
    const last = log[log.length - 1];
    assert.equal(last.error, "AuthFailure.SignatureFailure");
    assert.ok(!JSON.stringify(log).includes(kSecretKey), "the request log holds no secret");
  });

  it("rejects an undefined request field with UnknownParameter", async () => {
    const cvm = sim.cvm();
    await expectCode(cvm.DescribeInstances({ Colour: "red" }), "UnknownParameter");
    await expectCode(cvm.RunInstances(spotRequest({}, { MaxPrice: "0.5" })), "UnknownParameter");
    // Nested: a field that InstanceMarketOptions.SpotOptions does not define.
    const nested = spotRequest();
    nested.InstanceMarketOptions.SpotOptions.Bid = "0.5";
    await expectCode(cvm.RunInstances(nested), "UnknownParameter");
    // A Batch-only field sent to CVM.
    await expectCode(cvm.TerminateInstances({ InstanceIds: ["ins-zzzzzzzz"], EnvId: "env-x" }),
                     "UnknownParameter");
    assert.deepEqual(await sim.instances(), []);
  });

  it("rejects a field of the wrong JSON type with InvalidParameter", async () => {
    await expectCode(sim.cvm().DescribeInstances({ Limit: "20" }), "InvalidParameter");
    await expectCode(sim.cvm().RunInstances(spotRequest({ count: "2" })), "InvalidParameter");
  });

  it("rejects a missing required field with MissingParameter", async () => {
    await expectCode(sim.batch().DescribeComputeEnv({}), "MissingParameter");
  });

  it("rejects an action that does not exist with InvalidAction", async () => {
    await expectCode(sim.cvm().request("LaunchRockets", {}), "InvalidAction");
  });

  it("enforces Tencent's per-action rate limit with RequestLimitExceeded", async () => {
    // DescribeComputeEnv is limited to 2 requests per second.
    const batch = sim.batch();
    const codes = [];
    for (let i = 0; i < 3; i++) {
      try {
        await batch.DescribeComputeEnv({ EnvId: "env-zzzzzzzz" });
        codes.push("ok");
      } catch (e) {
        codes.push(e.code);
      }
    }
    assert.deepEqual(codes, ["ResourceNotFound.ComputeEnv", "ResourceNotFound.ComputeEnv",
                             "RequestLimitExceeded"]);
  });

  it("lets the action name decide the product, whatever the client", async () => {
    // Both clients sign service "127" for this endpoint, so a Batch action sent through the
    // CVM client is the same request on the wire as through the Batch client.
    const out = await sim.cvm().request("DescribeComputeEnvs", {});
    assert.equal(out.TotalCount, 0);
  });
});
