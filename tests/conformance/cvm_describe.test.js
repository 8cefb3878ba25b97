// CVM DescribeInstances and DescribeInstancesStatus through the official Node.js SDK:
// lookups by id, every filter spotform relies on, paging, and the real field names.
"use strict";

const assert = require("node:assert/strict");
const { describe, it, before, after } = require("node:test");
const {
  Sim, spotRequest, expectCode, kZone, kOtherZone, kType,
} = require("./sim_harness");

const byId = (a, b) => a.localeCompare(b);
const idsOf = (out) => out.InstanceSet.map((i) => i.InstanceId).sort(byId);

describe("DescribeInstances / DescribeInstancesStatus", () => {
  let sim;
  let cvm;
  // Fleet built once: zone 3 holds 3 RUNNING tagged "team=vfx" + 2 PENDING tagged "team=ml";
  // zone 4 holds 1 RUNNING untagged.
  const fleet = { vfx: [], ml: [], zone4: [] };

  before(async () => {
    sim = await Sim.start();
    cvm = sim.cvm();
    await sim.market(kZone, kType, 0.1, 50);
    await sim.market(kOtherZone, kType, 0.1, 50);
    const tagged = (value) => ({
      TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: value }] }],
    });
    fleet.vfx = (await cvm.RunInstances(spotRequest({ count: 3 }, tagged("vfx")))).InstanceIdSet;
    fleet.zone4 = (await cvm.RunInstances(spotRequest({ zone: kOtherZone }))).InstanceIdSet;
    await sim.tickUntil(async () => {
      const out = await cvm.DescribeInstancesStatus({ InstanceIds: [...fleet.vfx, ...fleet.zone4] });
      return out.InstanceStatusSet.every((s) => s.InstanceState === "RUNNING");
    }, "RUNNING");
    fleet.ml = (await cvm.RunInstances(spotRequest({ count: 2 }, tagged("ml")))).InstanceIdSet;
  });
  after(async () => { await sim.stop(); });

  it("returns the instances named by InstanceIds with TotalCount", async () => {
    const ids = [fleet.vfx[0], fleet.zone4[0]];
    const out = await cvm.DescribeInstances({ InstanceIds: ids });
    assert.equal(out.TotalCount, 2);
    assert.deepEqual(idsOf(out), [...ids].sort(byId));
  });

  it("returns an empty set, not an error, for a well-formed unknown id", async () => {
    const out = await cvm.DescribeInstances({ InstanceIds: ["ins-zzzzzzzz"] });
    assert.equal(out.TotalCount, 0);
    assert.deepEqual(out.InstanceSet, []);
  });

  it("uses the real Instance field names and types", async () => {
    const out = await cvm.DescribeInstances({ InstanceIds: [fleet.vfx[0]] });
    const instance = out.InstanceSet[0];
    assert.equal(instance.InstanceId, fleet.vfx[0]);
    assert.equal(instance.InstanceType, kType);
    assert.equal(instance.InstanceChargeType, "SPOTPAID");
    assert.equal(instance.InstanceState, "RUNNING");
    assert.equal(instance.Placement.Zone, kZone);
    assert.equal(instance.ImageId, "img-pmqg1cw7");
    assert.equal(typeof instance.CPU, "number");
    assert.equal(typeof instance.Memory, "number");
    assert.equal(typeof instance.InstanceName, "string");
    assert.match(instance.CreatedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(instance.Tags, [{ Key: "team", Value: "vfx" }]);
    assert.ok(Array.isArray(instance.PrivateIpAddresses));
    assert.equal(instance.InstanceMarketOptions, undefined, "not part of the Instance model");
  });

  it("filters by zone", async () => {
    const out = await cvm.DescribeInstances({ Filters: [{ Name: "zone", Values: [kOtherZone] }] });
    assert.equal(out.TotalCount, 1);
    assert.deepEqual(idsOf(out), fleet.zone4);
  });

  it("filters by instance-state", async () => {
    const out = await cvm.DescribeInstances({
      Filters: [{ Name: "instance-state", Values: ["PENDING"] }],
    });
    assert.deepEqual(idsOf(out), [...fleet.ml].sort(byId));
  });

  it("filters by instance-charge-type SPOTPAID", async () => {
    const spot = await cvm.DescribeInstances({
      Filters: [{ Name: "instance-charge-type", Values: ["SPOTPAID"] }], Limit: 100,
    });
    assert.equal(spot.TotalCount, 6);
    const postpaid = await cvm.DescribeInstances({
      Filters: [{ Name: "instance-charge-type", Values: ["POSTPAID_BY_HOUR"] }],
    });
    assert.equal(postpaid.TotalCount, 0);
  });

  it("filters by tag:KEY (values OR) and by tag-key", async () => {
    const vfx = await cvm.DescribeInstances({ Filters: [{ Name: "tag:team", Values: ["vfx"] }] });
    assert.deepEqual(idsOf(vfx), [...fleet.vfx].sort(byId));
    const both = await cvm.DescribeInstances({
      Filters: [{ Name: "tag:team", Values: ["vfx", "ml"] }],
    });
    assert.equal(both.TotalCount, 5);
    const keyed = await cvm.DescribeInstances({ Filters: [{ Name: "tag-key", Values: ["team"] }] });
    assert.deepEqual(idsOf(keyed), [...fleet.vfx, ...fleet.ml].sort(byId));
    const none = await cvm.DescribeInstances({ Filters: [{ Name: "tag-key", Values: ["owner"] }] });
    assert.equal(none.TotalCount, 0);
  });

  it("ANDs different filters", async () => {
    const out = await cvm.DescribeInstances({
      Filters: [
        { Name: "zone", Values: [kZone] },
        { Name: "instance-state", Values: ["RUNNING"] },
      ],
    });
    assert.deepEqual(idsOf(out), [...fleet.vfx].sort(byId));
  });

  it("pages with Offset/Limit while TotalCount counts every match", async () => {
    const seen = [];
    for (let offset = 0; offset < 6; offset += 4) {
      const page = await cvm.DescribeInstances({ Offset: offset, Limit: 4 });
      assert.equal(page.TotalCount, 6);
      assert.equal(page.InstanceSet.length, offset === 0 ? 4 : 2);
      seen.push(...page.InstanceSet.map((i) => i.InstanceId));
    }
    assert.equal(new Set(seen).size, 6);
    const defaults = await cvm.DescribeInstances({});
    assert.equal(defaults.InstanceSet.length, 6);  // default Limit 20
  });

  it("rejects an unknown filter name with InvalidFilter", async () => {
    await expectCode(cvm.DescribeInstances({ Filters: [{ Name: "colour", Values: ["red"] }] }),
                     "InvalidFilter");
  });

  it("rejects Limit above 100", async () => {
    await expectCode(cvm.DescribeInstances({ Limit: 101 }), "InvalidParameterValue.LimitExceeded");
  });

  it("rejects InstanceIds combined with Filters", async () => {
    await expectCode(cvm.DescribeInstances({
      InstanceIds: [fleet.vfx[0]], Filters: [{ Name: "zone", Values: [kZone] }],
    }), "InvalidParameter");
  });

  it("rejects a malformed instance id", async () => {
    await expectCode(cvm.DescribeInstances({ InstanceIds: ["ins-1122"] }),
                     "InvalidInstanceId.Malformed");
  });

  it("DescribeInstancesStatus reports InstanceId and InstanceState", async () => {
    const ids = [fleet.vfx[0], fleet.ml[0]];
    const out = await cvm.DescribeInstancesStatus({ InstanceIds: ids });
    assert.equal(out.TotalCount, 2);
    const states = Object.fromEntries(out.InstanceStatusSet.map((s) => [s.InstanceId, s.InstanceState]));
    assert.deepEqual(states, { [fleet.vfx[0]]: "RUNNING", [fleet.ml[0]]: "PENDING" });
    for (const item of out.InstanceStatusSet) assert.deepEqual(Object.keys(item).sort(), ["InstanceId", "InstanceState"]);
  });

  it("DescribeInstancesStatus without ids pages over every instance", async () => {
    const out = await cvm.DescribeInstancesStatus({ Limit: 5 });
    assert.equal(out.TotalCount, 6);
    assert.equal(out.InstanceStatusSet.length, 5);
  });
});
