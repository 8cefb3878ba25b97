// The Batch refill trap (spec §1, "the ordering rule"), through the official Node.js SDK:
// an instance released through CVM while DesiredComputeNodeCount still counts it comes back;
// lowering the desired count first and then releasing keeps it released.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { useSim, describeById, kZone, kType } = require("./sim_harness");
const { spotEnvRequest, tickUntilRunning, modifyWhenIdle } = require("./batch_harness");

describe("Batch refill trap", () => {
  let sim;
  let batch;
  let cvm;
  useSim((started) => ({ sim, batch, cvm } = started), { market: [kZone, kType, 0.1, 50] });

  const instanceIdsOf = (env) => env.ComputeNodeSet.map((n) => n.ComputeNodeInstanceId).sort();
  const liveInstances = async () => (await sim.instances()).map((i) => i.InstanceId).sort();

  it("releasing a node's instance through CVM without lowering the count: it comes back",
     async () => {
       const envId = (await batch.CreateComputeEnv(spotEnvRequest("trap", 3))).EnvId;
       const env = await tickUntilRunning(sim, batch, envId, 3);
       const victim = env.ComputeNodeSet[0];

       await cvm.TerminateInstances({ InstanceIds: [victim.ComputeNodeInstanceId] });
       const state = (await describeById(cvm, [victim.ComputeNodeInstanceId]))
                         .get(victim.ComputeNodeInstanceId).InstanceState;
       assert.equal(state, "TERMINATING");

       const refilled = await sim.tickUntil(async () => {
         const now = await batch.DescribeComputeEnv({ EnvId: envId });
         const running = now.ComputeNodeSet.filter((n) => n.ComputeNodeState === "RUNNING");
         const replaced = !now.ComputeNodeSet.some(
             (n) => n.ComputeNodeInstanceId === victim.ComputeNodeInstanceId);
         return running.length === 3 && now.ComputeNodeSet.length === 3 && replaced ? now : null;
       }, "refilled to 3 nodes with a new instance", 60);
       assert.equal(refilled.DesiredComputeNodeCount, 3);
       const ids = instanceIdsOf(refilled);
       assert.ok(!ids.includes(victim.ComputeNodeInstanceId));
       assert.equal(ids.filter((id) => !instanceIdsOf(env).includes(id)).length, 1,
                    "exactly one new instance");
       assert.deepEqual(await liveInstances(), ids);
       const activities = await batch.DescribeComputeEnvActivities({ EnvId: envId, Limit: 100 });
       const creates = activities.ActivitySet.filter(
           (a) => a.ComputeNodeActivityType === "CREATE_COMPUTE_NODE");
       assert.equal(creates.length, 4, "three at creation plus one refill");
     });

  it("a spot reclaim while the count still includes the node: Batch refills it", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("reclaimed", 2))).EnvId;
    const env = await tickUntilRunning(sim, batch, envId, 2);
    const victim = env.ComputeNodeSet[0].ComputeNodeInstanceId;
    await sim.reclaim([victim]);
    const refilled = await sim.tickUntil(async () => {
      const now = await batch.DescribeComputeEnv({ EnvId: envId });
      const replaced = !now.ComputeNodeSet.some((n) => n.ComputeNodeInstanceId === victim);
      const running = now.ComputeNodeSet.filter((n) => n.ComputeNodeState === "RUNNING");
      return replaced && running.length === 2 ? now : null;
    }, "refilled after reclaim", 60);
    assert.equal(refilled.ComputeNodeSet.length, 2);
  });

  it("lowering DesiredComputeNodeCount first, then releasing: it stays released", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("safe", 3))).EnvId;
    const env = await tickUntilRunning(sim, batch, envId, 3);
    const victim = env.ComputeNodeSet[0];

    await modifyWhenIdle(sim, batch, { EnvId: envId, DesiredComputeNodeCount: 2 });
    const lowered = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(lowered.DesiredComputeNodeCount, 2);
    assert.equal(lowered.ComputeNodeSet.length, 3, "--scale-in manual destroys nothing itself");

    await cvm.TerminateInstances({ InstanceIds: [victim.ComputeNodeInstanceId] });
    await sim.tickUntil(async () => {
      const now = await batch.DescribeComputeEnv({ EnvId: envId });
      return now.ComputeNodeSet.length === 2 &&
             now.ComputeNodeSet.every((n) => n.ComputeNodeState === "RUNNING");
    }, "down to 2 nodes", 60);
    await sim.tick(20);  // a reconciler that refilled anyway would have done so by now

    const final = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(final.DesiredComputeNodeCount, 2);
    assert.equal(final.ComputeNodeSet.length, 2);
    const remaining = instanceIdsOf(final);
    assert.deepEqual(remaining,
                     instanceIdsOf(env).filter((id) => id !== victim.ComputeNodeInstanceId));
    assert.deepEqual(await liveInstances(), remaining, "no new instance was launched");
  });
});
