// CVM RunInstances for spot capacity, through the official Node.js SDK: one-shot launches,
// market refusals, idempotency, DryRun, tags and region checks.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const {
  useSim, spotRequest, expectCode, describeById, kZone, kType,
} = require("./sim_harness");

describe("RunInstances (SPOTPAID)", () => {
  let sim;
  let cvm;
  useSim((started) => ({ sim, cvm } = started), { market: [kZone, kType, 0.1, 10] });

  it("launches spot instances that start PENDING and become RUNNING", async () => {
    const out = await cvm.RunInstances(spotRequest({ count: 2, maxPrice: "0.20" }));
    assert.equal(out.InstanceIdSet.length, 2);
    for (const id of out.InstanceIdSet) assert.match(id, /^ins-[a-z0-9]{8}$/);
    assert.match(out.RequestId, /\S/);

    const first = await describeById(cvm, out.InstanceIdSet);
    for (const id of out.InstanceIdSet) {
      const instance = first.get(id);
      assert.equal(instance.InstanceState, "PENDING");
      assert.equal(instance.InstanceChargeType, "SPOTPAID");
      assert.equal(instance.InstanceType, kType);
      assert.equal(instance.Placement.Zone, kZone);
    }
    await sim.tickUntil(async () => {
      const now = await describeById(cvm, out.InstanceIdSet);
      return [...now.values()].every((i) => i.InstanceState === "RUNNING");
    }, "RUNNING");
  });

  it("refuses a bid below the market price with InsufficientPrice and creates nothing",
     async () => {
       const error = await expectCode(cvm.RunInstances(spotRequest({ maxPrice: "0.05" })),
                                      "InvalidParameterValue.InsufficientPrice");
       assert.match(error.message, /\S/);
       assert.deepEqual(await sim.instances(), []);
       const log = await sim.requests();
       const last = log[log.length - 1];
       assert.equal(last.action, "RunInstances");
       assert.equal(last.error, "InvalidParameterValue.InsufficientPrice");
     });

  it("accepts a bid equal to the market price", async () => {
    const out = await cvm.RunInstances(spotRequest({ maxPrice: "0.1" }));
    assert.equal(out.InstanceIdSet.length, 1);
  });

  it("refuses more instances than the free capacity with InsufficientOffering, creating none",
     async () => {
       await sim.market(kZone, kType, 0.1, 3);
       await expectCode(cvm.RunInstances(spotRequest({ count: 4 })),
                        "InvalidParameterValue.InsufficientOffering");
       assert.deepEqual(await sim.instances(), []);
       // The three that fit are still for sale, and then the zone is out of stock.
       const out = await cvm.RunInstances(spotRequest({ count: 3 }));
       assert.equal(out.InstanceIdSet.length, 3);
       await expectCode(cvm.RunInstances(spotRequest({ count: 1 })),
                        "InvalidParameterValue.InsufficientOffering");
     });

  it("replays a ClientToken: same InstanceIdSet, nothing more created", async () => {
    const request = spotRequest({ count: 2 }, { ClientToken: "conf-replay-token-1" });
    const first = await cvm.RunInstances(request);
    const second = await cvm.RunInstances(request);
    assert.deepEqual(second.InstanceIdSet, first.InstanceIdSet);
    assert.notEqual(second.RequestId, first.RequestId);
    const live = (await sim.instances()).map((i) => i.InstanceId).sort();
    assert.deepEqual(live, [...first.InstanceIdSet].sort());

    const other = await cvm.RunInstances(
        spotRequest({ count: 1 }, { ClientToken: "conf-replay-token-2" }));
    assert.equal(other.InstanceIdSet.length, 1);
    assert.ok(!first.InstanceIdSet.includes(other.InstanceIdSet[0]));
  });

  it("DryRun checks the request, stock included, and creates nothing", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ count: 2 }, { DryRun: true })),
                     "DryRunOperation");
    await expectCode(cvm.RunInstances(spotRequest({ count: 11 }, { DryRun: true })),
                     "InvalidParameterValue.InsufficientOffering");
    await expectCode(cvm.RunInstances(spotRequest({ maxPrice: "0.01" }, { DryRun: true })),
                     "InvalidParameterValue.InsufficientPrice");
    assert.deepEqual(await sim.instances(), []);
  });

  it("applies TagSpecification so DescribeInstances shows the tags", async () => {
    const out = await cvm.RunInstances(spotRequest({ count: 1 }, {
      TagSpecification: [{
        ResourceType: "instance",
        Tags: [{ Key: "team", Value: "vfx" }, { Key: "spotform:env", Value: "render" }],
      }],
    }));
    const instance = (await describeById(cvm, out.InstanceIdSet)).get(out.InstanceIdSet[0]);
    const tags = [...instance.Tags].sort((a, b) => a.Key.localeCompare(b.Key));
    assert.deepEqual(tags, [{ Key: "spotform:env", Value: "render" }, { Key: "team", Value: "vfx" }]);
  });

  it("refuses a zone outside the request's region with InvalidZone.MismatchRegion", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ zone: "ap-shanghai-2" })),
                     "InvalidZone.MismatchRegion");
    assert.deepEqual(await sim.instances(), []);
  });

  it("refuses an InstanceCount above the limit and below 1", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ count: 0 })),
                     "InvalidParameterValue.Range");
    // 100 per call: the international SDK's documented range (the reference's safe limit).
    await sim.market(kZone, kType, 0.1, 500);
    await expectCode(cvm.RunInstances(spotRequest({ count: 101 })),
                     "InvalidParameterValue.Range");
    assert.deepEqual(await sim.instances(), []);
    const out = await cvm.RunInstances(spotRequest({ count: 100 }));
    assert.equal(out.InstanceIdSet.length, 100);
  });

  it("refuses a request without Placement or ImageId with MissingParameter", async () => {
    const noImage = spotRequest();
    delete noImage.ImageId;
    await expectCode(cvm.RunInstances(noImage), "MissingParameter");
    const noPlacement = spotRequest();
    delete noPlacement.Placement;
    await expectCode(cvm.RunInstances(noPlacement), "MissingParameter");
    assert.deepEqual(await sim.instances(), []);
  });
});
