// The per-zone spot quota in vCPUs through the official Node.js SDK: RunInstances over it
// fails with LimitExceeded.UserSpotQuota, DescribeAccountQuota reports it, and the control
// API's GET /_sim/market lists it with the offers.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { describe, it, before, after } = require("node:test");
const {
  Sim, useSim, spotRequest, expectCode, kZone, kOtherZone, kType,
} = require("./sim_harness");

// What DescribeAccountQuota answers for `zone` (one SpotPaidQuotaSet entry).
async function spotQuotaOf(cvm, zone) {
  const out = await cvm.DescribeAccountQuota({
    Filters: [{ Name: "zone", Values: [zone] }, { Name: "quota-type", Values: ["SpotPaidQuotaSet"] }],
  });
  const set = out.AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet;
  assert.equal(set.length, 1, JSON.stringify(out));
  return set[0];
}

describe("spot quota (spotform-sim --spot-quota 10)", () => {
  let sim;
  let cvm;
  // S5.MEDIUM4 has 2 vCPUs: 5 instances fill a zone's 10.
  useSim((started) => ({ sim, cvm } = started),
         { args: ["--spot-quota", "10"], market: [kZone, kType, 0.1, 100] });

  it("refuses a launch over the quota with LimitExceeded.UserSpotQuota, creating nothing",
     async () => {
       const error = await expectCode(cvm.RunInstances(spotRequest({ count: 6 })),
                                      "LimitExceeded.UserSpotQuota");
       assert.match(error.message, /ap-guangzhou-3/);
       assert.match(error.message, /10 vCPUs left/);
       assert.deepEqual(await sim.instances(), []);

       const out = await cvm.RunInstances(spotRequest({ count: 5 }));
       assert.equal(out.InstanceIdSet.length, 5);
       const again = await expectCode(cvm.RunInstances(spotRequest({ count: 1 })),
                                      "LimitExceeded.UserSpotQuota");
       assert.match(again.message, /0 vCPUs left/);
       assert.equal((await sim.instances()).length, 5);
       // Another zone has its own quota.
       const other = await cvm.RunInstances(spotRequest({ zone: kOtherZone, count: 5 }));
       assert.equal(other.InstanceIdSet.length, 5);
     });

  it("DryRun over the quota fails the same way and creates nothing", async () => {
    await expectCode(cvm.RunInstances(spotRequest({ count: 6 }, { DryRun: true })),
                     "LimitExceeded.UserSpotQuota");
    await expectCode(cvm.RunInstances(spotRequest({ count: 5 }, { DryRun: true })),
                     "DryRunOperation");
    assert.deepEqual(await sim.instances(), []);
  });

  it("frees the vCPUs once a terminated instance is gone", async () => {
    const out = await cvm.RunInstances(spotRequest({ count: 5 }));
    await sim.tick(2);
    await cvm.TerminateInstances({ InstanceIds: [out.InstanceIdSet[0]] });
    await expectCode(cvm.RunInstances(spotRequest({ count: 1 })), "LimitExceeded.UserSpotQuota");
    await sim.tickUntil(async () => (await sim.instances()).length === 4, "gone");
    const more = await cvm.RunInstances(spotRequest({ count: 1 }));
    assert.equal(more.InstanceIdSet.length, 1);
  });

  it("DescribeAccountQuota answers the SDK's shape with one spot entry per zone", async () => {
    await cvm.RunInstances(spotRequest({ count: 3 }));
    const out = await cvm.DescribeAccountQuota({});
    assert.equal(typeof out.AppId, "number");
    assert.match(out.RequestId, /\S/);
    assert.equal(out.AccountQuotaOverview.Region, "ap-guangzhou");
    const quota = out.AccountQuotaOverview.AccountQuota;
    assert.deepEqual(Object.keys(quota).sort(), [
      "DisasterRecoverGroupQuotaSet", "ImageQuotaSet", "PostPaidQuotaSet", "PrePaidQuotaSet",
      "SpotPaidQuotaSet",
    ]);
    for (const set of ["PostPaidQuotaSet", "PrePaidQuotaSet", "ImageQuotaSet",
                       "DisasterRecoverGroupQuotaSet"]) {
      assert.deepEqual(quota[set], [], set);
    }
    const zones = quota.SpotPaidQuotaSet.map((e) => e.Zone);
    assert.deepEqual(zones, ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6",
                             "ap-guangzhou-7"]);
    const entry = quota.SpotPaidQuotaSet[0];
    assert.deepEqual(Object.keys(entry).sort(),
                     ["RemainingQuota", "TotalQuota", "UsedQuota", "Zone"]);
    assert.deepEqual(entry, { UsedQuota: 6, RemainingQuota: 4, TotalQuota: 10,
                              Zone: "ap-guangzhou-3" });
    assert.deepEqual(await spotQuotaOf(cvm, kOtherZone),
                     { UsedQuota: 0, RemainingQuota: 10, TotalQuota: 10, Zone: kOtherZone });
  });

  it("DescribeAccountQuota refuses unknown filters and zones of another region", async () => {
    await expectCode(cvm.DescribeAccountQuota({ Filters: [{ Name: "instance-type",
                                                            Values: [kType] }] }),
                     "InvalidFilter");
    await expectCode(cvm.DescribeAccountQuota({ Filters: [{ Name: "zone",
                                                            Values: ["ap-shanghai-2"] }] }),
                     "InvalidZone.MismatchRegion");
    await expectCode(cvm.DescribeAccountQuota({ Zone: kZone }), "UnknownParameter");
    const prepaid = await cvm.DescribeAccountQuota({
      Filters: [{ Name: "quota-type", Values: ["PrePaidQuotaSet"] }],
    });
    assert.deepEqual(prepaid.AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet, []);
  });

  it("POST /_sim/quota changes a zone's quota until the next reset", async () => {
    await sim.quota(2, kZone);
    await expectCode(cvm.RunInstances(spotRequest({ count: 2 })), "LimitExceeded.UserSpotQuota");
    assert.equal((await spotQuotaOf(cvm, kZone)).TotalQuota, 2);
    await sim.quota(null, kZone);  // unlimited
    assert.equal((await spotQuotaOf(cvm, kZone)).TotalQuota, 100000);
    assert.equal((await cvm.RunInstances(spotRequest({ count: 50 }))).InstanceIdSet.length, 50);
    await sim.reset();
    assert.equal((await spotQuotaOf(cvm, kZone)).TotalQuota, 10);
  });

  it("GET /_sim/market lists every offer and every zone's spot quota", async () => {
    await sim.market(kZone, kType, 0.1, 4);
    await cvm.RunInstances(spotRequest({ count: 4 }));
    const listing = await sim.marketListing();
    const offer = listing.offers.find((o) => o.zone === kZone && o.instance_type === kType);
    assert.deepEqual(offer, {
      zone: kZone, region: "ap-guangzhou", instance_type: kType, cpu: 2, memory_gb: 4,
      price: 0.1, capacity: 4, used: 4, free: 0, status: "SOLD_OUT",
    });
    assert.ok(listing.offers.length > 20, "the whole catalogue is listed");
    const quota = listing.spot_quota.find((q) => q.zone === kZone);
    assert.deepEqual(quota, { zone: kZone, region: "ap-guangzhou", total: 10, used: 8,
                              remaining: 2 });
    assert.ok(listing.spot_quota.some((q) => q.zone === "ap-shanghai-2"));
  });
});

describe("spot quota default and scenario", () => {
  let sim;
  let cvm;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "spotform-quota-"));
    const scenario = path.join(dir, "quota.yaml");
    fs.writeFileSync(scenario, "spot_quota: {ap-guangzhou-4: 4}\n");
    sim = await Sim.start(["--scenario", scenario]);
    cvm = sim.cvm();
  });
  after(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is unlimited by default (TotalQuota 100000) and a scenario sets one zone", async () => {
    const out = await cvm.RunInstances(spotRequest({ type: "S5.2XLARGE16", count: 100 }));
    assert.equal(out.InstanceIdSet.length, 100);
    assert.deepEqual(await spotQuotaOf(cvm, kZone),
                     { UsedQuota: 800, RemainingQuota: 99200, TotalQuota: 100000, Zone: kZone });
    await expectCode(cvm.RunInstances(spotRequest({ zone: kOtherZone, count: 3 })),
                     "LimitExceeded.UserSpotQuota");
    assert.equal((await spotQuotaOf(cvm, kOtherZone)).TotalQuota, 4);
  });
});
