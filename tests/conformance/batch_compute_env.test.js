// Batch Compute environments through the official Node.js SDK: create, describe, list,
// scale, terminate nodes, activities and delete, with the documented field names and states.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { Sim, useSim, expectCode, describeById, kZone, kType } = require("./sim_harness");
const {
  spotEnvRequest, nodesIn, tickUntilRunning, whenIdle, modifyWhenIdle,
} = require("./batch_harness");

describe("Batch compute environments (default switches)", () => {
  let sim;
  let batch;
  let cvm;
  useSim((started) => ({ sim, batch, cvm } = started), { market: [kZone, kType, 0.1, 50] });

  it("creates an environment whose nodes are RUNNING spot instances", async () => {
    const created = await batch.CreateComputeEnv(spotEnvRequest("render", 2));
    assert.match(created.EnvId, /^env-[a-z0-9]{8}$/);
    assert.match(created.RequestId, /\S/);

    const env = await tickUntilRunning(sim, batch, created.EnvId, 2);
    assert.equal(env.EnvId, created.EnvId);
    assert.equal(env.EnvName, "render");
    assert.equal(env.Placement.Zone, kZone);
    assert.match(env.CreateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(env.DesiredComputeNodeCount, 2);
    assert.equal(env.EnvType, "MANAGED");
    assert.equal(env.ResourceType, "CVM");
    assert.equal(env.ComputeNodeMetrics.RunningCount, 2);
    for (const key of ["SubmittedCount", "CreatingCount", "CreationFailedCount", "CreatedCount",
                       "DeletingCount", "AbnormalCount"]) {
      assert.equal(env.ComputeNodeMetrics[key], 0, key);
    }
    const instanceIds = env.ComputeNodeSet.map((n) => n.ComputeNodeInstanceId);
    for (const node of env.ComputeNodeSet) {
      assert.match(node.ComputeNodeId, /^node-[a-z0-9]{8}$/);
      assert.match(node.ComputeNodeInstanceId, /^ins-[a-z0-9]{8}$/);
      assert.equal(node.Cpu, 2);
      assert.equal(node.Mem, 4);
      assert.equal(node.ResourceType, "CVM");
      assert.equal(node.ResourceOrigin, "BATCH_CREATED");
    }
    const instances = await describeById(cvm, instanceIds);
    assert.equal(instances.size, 2);
    for (const instance of instances.values()) {
      assert.equal(instance.InstanceChargeType, "SPOTPAID");
      assert.equal(instance.InstanceState, "RUNNING");
      assert.equal(instance.Placement.Zone, kZone);
    }
  });

  it("lists environments with DescribeComputeEnvs (no node list) and filters them", async () => {
    const a = (await batch.CreateComputeEnv(spotEnvRequest("alpha", 1))).EnvId;
    const b = (await batch.CreateComputeEnv(spotEnvRequest("beta", 2))).EnvId;
    const all = await batch.DescribeComputeEnvs({});
    assert.equal(all.TotalCount, 2);
    const views = Object.fromEntries(all.ComputeEnvSet.map((v) => [v.EnvId, v]));
    assert.equal(views[a].EnvName, "alpha");
    assert.equal(views[b].DesiredComputeNodeCount, 2);
    assert.equal(views[b].Placement.Zone, kZone);
    assert.equal(views[b].ComputeNodeSet, undefined);
    assert.equal(typeof views[b].ComputeNodeMetrics.RunningCount, "number");

    const byIds = await batch.DescribeComputeEnvs({ EnvIds: [b] });
    assert.deepEqual(byIds.ComputeEnvSet.map((v) => v.EnvId), [b]);
    const byName = await batch.DescribeComputeEnvs({
      Filters: [{ Name: "env-name", Values: ["alpha"] }],
    });
    assert.deepEqual(byName.ComputeEnvSet.map((v) => v.EnvId), [a]);
    const paged = await batch.DescribeComputeEnvs({ Offset: 1, Limit: 1 });
    assert.equal(paged.TotalCount, 2);
    assert.equal(paged.ComputeEnvSet.length, 1);
  });

  it("scales out with ModifyComputeEnv and refuses a second change while applying",
     async () => {
       const envId = (await batch.CreateComputeEnv(spotEnvRequest("grow", 1))).EnvId;
       await tickUntilRunning(sim, batch, envId, 1);
       await batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 3 });
       await expectCode(batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 4 }),
                        "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
       const env = await tickUntilRunning(sim, batch, envId, 3);
       assert.equal(env.DesiredComputeNodeCount, 3);
     });

  it("keeps trying while stock is short and fills up when capacity returns", async () => {
    await sim.market(kZone, kType, 0.1, 1);
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("short", 3))).EnvId;
    await sim.tick(10);
    let env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(nodesIn(env, "RUNNING").length, 1);
    assert.equal(env.DesiredComputeNodeCount, 3);
    await sim.market(kZone, kType, 0.1, 10);
    env = await tickUntilRunning(sim, batch, envId, 3);
    assert.equal(env.ComputeNodeMetrics.RunningCount, 3);
  });

  it("launches nothing while the market price is above the bid", async () => {
    await sim.market(kZone, kType, 0.9, 50);
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("pricey", 2))).EnvId;
    await sim.tick(10);
    const env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(nodesIn(env, "RUNNING").length, 0);
    const spot = await cvm.DescribeInstances({
      Filters: [{ Name: "instance-state", Values: ["RUNNING", "PENDING"] }],
    });
    assert.equal(spot.TotalCount, 0);
    await sim.market(kZone, kType, 0.1, 50);
    await tickUntilRunning(sim, batch, envId, 2);
  });

  it("TerminateComputeNode: the node goes DELETING and, by default, is refilled", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("refill", 2))).EnvId;
    const before = await tickUntilRunning(sim, batch, envId, 2);
    const victim = before.ComputeNodeSet[0];
    await batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: victim.ComputeNodeId });
    const during = await batch.DescribeComputeEnv({ EnvId: envId });
    const node = during.ComputeNodeSet.find((n) => n.ComputeNodeId === victim.ComputeNodeId);
    assert.equal(node.ComputeNodeState, "DELETING");
    assert.equal(during.DesiredComputeNodeCount, 2);
    // Right after a modifying call the environment is busy; once it is not, the node is
    // still DELETING and may not be terminated twice.
    await expectCode(
        batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: victim.ComputeNodeId }),
        "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
    await sim.tick(1);
    const still = (await batch.DescribeComputeEnv({ EnvId: envId })).ComputeNodeSet.find(
        (n) => n.ComputeNodeId === victim.ComputeNodeId);
    assert.equal(still.ComputeNodeState, "DELETING");
    await expectCode(
        batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: victim.ComputeNodeId }),
        "UnsupportedOperation.ComputeNodeIsTerminating");

    const after = await tickUntilRunning(sim, batch, envId, 2);
    const ids = after.ComputeNodeSet.map((n) => n.ComputeNodeId);
    assert.ok(!ids.includes(victim.ComputeNodeId), "the terminated node is gone");
    assert.equal(after.DesiredComputeNodeCount, 2);
    const gone = await cvm.DescribeInstances({ InstanceIds: [victim.ComputeNodeInstanceId] });
    assert.equal(gone.TotalCount, 0);
  });

  it("TerminateComputeNodes releases several nodes in one call", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("many", 3))).EnvId;
    const env = await tickUntilRunning(sim, batch, envId, 3);
    const victims = env.ComputeNodeSet.slice(0, 2).map((n) => n.ComputeNodeId);
    await batch.TerminateComputeNodes({ EnvId: envId, ComputeNodeIds: victims });
    const during = await batch.DescribeComputeEnv({ EnvId: envId });
    for (const id of victims) {
      assert.equal(during.ComputeNodeSet.find((n) => n.ComputeNodeId === id).ComputeNodeState,
                   "DELETING");
    }
    assert.equal(during.ComputeNodeMetrics.DeletingCount, 2);
  });

  it("answers ResourceNotFound for unknown environments and nodes", async () => {
    await expectCode(batch.DescribeComputeEnv({ EnvId: "env-zzzzzzzz" }),
                     "ResourceNotFound.ComputeEnv");
    await expectCode(batch.ModifyComputeEnv({ EnvId: "env-zzzzzzzz", DesiredComputeNodeCount: 1 }),
                     "ResourceNotFound.ComputeEnv");
    await expectCode(batch.DeleteComputeEnv({ EnvId: "env-zzzzzzzz" }),
                     "ResourceNotFound.ComputeEnv");
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("lookup", 1))).EnvId;
    await expectCode(batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: "node-zzzzzzzz" }),
                     "ResourceNotFound.ComputeNode");
  });

  it("rejects a malformed environment id", async () => {
    await expectCode(batch.DescribeComputeEnv({ EnvId: "render" }),
                     "InvalidParameter.EnvIdMalformed");
  });

  it("records node activities with the documented fields", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("log", 2))).EnvId;
    const env = await tickUntilRunning(sim, batch, envId, 2);
    const victim = env.ComputeNodeSet[0].ComputeNodeId;
    await batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: victim });

    const all = await batch.DescribeComputeEnvActivities({ EnvId: envId });
    assert.equal(all.TotalCount, all.ActivitySet.length);
    const creates = all.ActivitySet.filter((a) => a.ComputeNodeActivityType === "CREATE_COMPUTE_NODE");
    assert.ok(creates.length >= 2, JSON.stringify(all.ActivitySet));
    for (const activity of all.ActivitySet) {
      assert.equal(activity.EnvId, envId);
      assert.match(activity.ComputeNodeId, /^node-[a-z0-9]{8}$/);
      assert.ok(["SUBMITTED", "PROCESSING", "SUCCEED", "FAILED"].includes(activity.ActivityState));
      assert.equal(typeof activity.ActivityId, "string");
    }
    const forVictim = await batch.DescribeComputeEnvActivities({
      EnvId: envId, Filters: { Name: "compute-node-id", Values: [victim] },
    });
    const types = forVictim.ActivitySet.map((a) => a.ComputeNodeActivityType).sort();
    assert.deepEqual(types, ["CREATE_COMPUTE_NODE", "TERMINATE_COMPUTE_NODE"]);
    const page = await batch.DescribeComputeEnvActivities({ EnvId: envId, Offset: 0, Limit: 1 });
    assert.equal(page.ActivitySet.length, 1);
    assert.equal(page.TotalCount, all.TotalCount);
  });

  it("DeleteComputeEnv releases the nodes' instances and then the environment is gone",
     async () => {
       const envId = (await batch.CreateComputeEnv(spotEnvRequest("doomed", 2))).EnvId;
       const env = await tickUntilRunning(sim, batch, envId, 2);
       const instanceIds = env.ComputeNodeSet.map((n) => n.ComputeNodeInstanceId);
       await modifyWhenIdle(sim, batch, { EnvId: envId, DesiredComputeNodeCount: 0 });
       await whenIdle(sim, "DeleteComputeEnv", () => batch.DeleteComputeEnv({ EnvId: envId }));
       await sim.tickUntil(async () => {
         try {
           await batch.DescribeComputeEnv({ EnvId: envId });
           return false;
         } catch (e) {
           assert.equal(e.code, "ResourceNotFound.ComputeEnv");
           return true;
         }
       }, "deleted");
       await sim.tickUntil(async () => (await describeById(cvm, instanceIds)).size === 0,
                           "instances gone");
       const list = await batch.DescribeComputeEnvs({});
       assert.equal(list.TotalCount, 0);
     });
});

describe("Batch scale-in and TerminateComputeNode switches", () => {
  const cases = [
    { args: ["--scale-in", "manual"], lowered: 3 },
    { args: ["--scale-in", "batch-picks"], lowered: 1 },
  ];
  for (const { args, lowered } of cases) {
    it(`${args.join(" ")}: lowering desired 3 -> 1 leaves ${lowered} node(s)`, async () => {
      const sim = await Sim.start(args);
      try {
        await sim.market(kZone, kType, 0.1, 50);
        const batch = sim.batch();
        const envId = (await batch.CreateComputeEnv(spotEnvRequest("shrink", 3))).EnvId;
        await tickUntilRunning(sim, batch, envId, 3);
        await modifyWhenIdle(sim, batch, { EnvId: envId, DesiredComputeNodeCount: 1 });
        await sim.tick(10);
        const env = await batch.DescribeComputeEnv({ EnvId: envId });
        assert.equal(env.DesiredComputeNodeCount, 1);
        assert.equal(nodesIn(env, "RUNNING").length, lowered);
      } finally {
        await sim.stop();
      }
    });
  }

  it("--terminate-node decrements: TerminateComputeNode lowers the desired count", async () => {
    const sim = await Sim.start(["--terminate-node", "decrements"]);
    try {
      await sim.market(kZone, kType, 0.1, 50);
      const batch = sim.batch();
      const envId = (await batch.CreateComputeEnv(spotEnvRequest("dec", 2))).EnvId;
      const env = await tickUntilRunning(sim, batch, envId, 2);
      await batch.TerminateComputeNode({
        EnvId: envId, ComputeNodeId: env.ComputeNodeSet[0].ComputeNodeId,
      });
      const after = await tickUntilRunning(sim, batch, envId, 1);
      assert.equal(after.DesiredComputeNodeCount, 1);
      await sim.tick(10);
      const later = await batch.DescribeComputeEnv({ EnvId: envId });
      assert.equal(later.ComputeNodeSet.length, 1, "no refill");
    } finally {
      await sim.stop();
    }
  });
});
