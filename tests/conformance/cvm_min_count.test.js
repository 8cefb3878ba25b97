// RunInstances MinCount (partial delivery) through the official Node.js SDK, and the
// --min-count unsupported switch for accounts and regions without it.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { useSim, spotRequest, expectCode, kZone, kType } = require("./sim_harness");

describe("RunInstances MinCount (--min-count supported, the default)", () => {
  let sim;
  let cvm;
  useSim((started) => ({ sim, cvm } = started), { market: [kZone, kType, 0.1, 30] });

  it("asked for 100 with 30 in stock and MinCount 1, launches 30", async () => {
    const out = await cvm.RunInstances(spotRequest({ count: 100 }, { MinCount: 1 }));
    assert.equal(out.InstanceIdSet.length, 30);
    assert.equal(new Set(out.InstanceIdSet).size, 30);
    for (const id of out.InstanceIdSet) assert.match(id, /^ins-[a-z0-9]{8}$/);
    const live = (await sim.instances()).map((i) => i.InstanceId).sort();
    assert.deepEqual(live, [...out.InstanceIdSet].sort());
  });

  it("launches all of InstanceCount when the stock has it", async () => {
    const out = await cvm.RunInstances(spotRequest({ count: 20 }, { MinCount: 5 }));
    assert.equal(out.InstanceIdSet.length, 20);
  });

  it("fails with InsufficientOfferingMinimum when the stock is short of MinCount", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ count: 50 }, { MinCount: 31 })),
                     "ResourceInsufficient.InsufficientOfferingMinimum");
    assert.deepEqual(await sim.instances(), []);
    // Without MinCount the same request is all or nothing, as before.
    await expectCode(cvm.RunInstances(spotRequest({ count: 50 })),
                     "InvalidParameterValue.InsufficientOffering");
    assert.deepEqual(await sim.instances(), []);
  });

  it("refuses MinCount above InstanceCount or below 1", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ count: 3 }, { MinCount: 4 })),
                     "InvalidParameterValue.InvalidParameterMinCount");
    await expectCode(cvm.RunInstances(spotRequest({ count: 3 }, { MinCount: 0 })),
                     "InvalidParameterValue.InvalidParameterMinCount");
    assert.deepEqual(await sim.instances(), []);
  });

  it("is bounded by the spot quota: LimitExceeded.UserSpotQuota below MinCount", async () => {
    await sim.quota(10);  // 5 x S5.MEDIUM4
    const out = await cvm.RunInstances(spotRequest({ count: 20 }, { MinCount: 2 }));
    assert.equal(out.InstanceIdSet.length, 5);
    await expectCode(cvm.RunInstances(spotRequest({ count: 20 }, { MinCount: 1 })),
                     "LimitExceeded.UserSpotQuota");
    assert.equal((await sim.instances()).length, 5);
  });

  it("DryRun with MinCount checks stock and quota and creates nothing", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ count: 100 }, { MinCount: 1, DryRun: true })),
                     "DryRunOperation");
    await expectCode(cvm.RunInstances(spotRequest({ count: 100 }, { MinCount: 31, DryRun: true })),
                     "ResourceInsufficient.InsufficientOfferingMinimum");
    await sim.quota(4);
    await expectCode(cvm.RunInstances(spotRequest({ count: 10 }, { MinCount: 3, DryRun: true })),
                     "LimitExceeded.UserSpotQuota");
    assert.deepEqual(await sim.instances(), []);
  });
});

describe("RunInstances MinCount (--min-count unsupported)", () => {
  let sim;
  let cvm;
  useSim((started) => ({ sim, cvm } = started),
         { args: ["--min-count", "unsupported"], market: [kZone, kType, 0.1, 30] });

  it("refuses any request carrying MinCount and creates nothing", async () => {
    for (const minCount of [1, 3]) {
      await expectCode(cvm.RunInstances(spotRequest({ count: 3 }, { MinCount: minCount })),
                       "UnsupportedOperation.MinCountUnsupportedRegion");
    }
    await expectCode(cvm.RunInstances(spotRequest({ count: 3 }, { MinCount: 1, DryRun: true })),
                     "UnsupportedOperation.MinCountUnsupportedRegion");
    assert.deepEqual(await sim.instances(), []);
    const out = await cvm.RunInstances(spotRequest({ count: 3 }));
    assert.equal(out.InstanceIdSet.length, 3);
  });
});
