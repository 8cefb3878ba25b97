// Tencent Batch's documented rules through the official Node.js SDK: scale-in by n needs n
// destroyable nodes (NotEnoughComputeNodesToTerminate), a CREATING node may not be terminated
// (ComputeNodeForbidTerminate), nodes that cannot be created yet are shown as placeholders
// (SUBMITTED / CREATION_FAILED, no instance, counted in ComputeNodeMetrics), and an
// environment refuses modifying calls right after one (ComputeEnvAcceptOtherRequest).
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { useSim, expectCode, kZone, kType } = require("./sim_harness");
const { spotEnvRequest, nodesIn, tickUntilRunning, modifyWhenIdle } = require("./batch_harness");

const states = (env) => env.ComputeNodeSet.map((n) => n.ComputeNodeState);

describe("Batch documented rules (--scale-in batch-picks, --create-ticks 4)", () => {
  let sim;
  let batch;
  useSim((started) => ({ sim, batch } = started), {
    args: ["--scale-in", "batch-picks", "--create-ticks", "4"],
    market: [kZone, kType, 0.1, 50],
  });

  it("lowering the count by more than the RUNNING nodes fails with " +
     "NotEnoughComputeNodesToTerminate and changes nothing", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("picks", 2))).EnvId;
    await tickUntilRunning(sim, batch, envId, 2);
    await modifyWhenIdle(sim, batch, { EnvId: envId, DesiredComputeNodeCount: 4 });
    await sim.tick(1);  // two more nodes, CREATING for 4 ticks
    const before = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.deepEqual(states(before).sort(), ["CREATING", "CREATING", "RUNNING", "RUNNING"]);

    await expectCode(batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 1 }),
                     "UnsupportedOperation.NotEnoughComputeNodesToTerminate");
    const after = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(after.DesiredComputeNodeCount, 4);
    assert.deepEqual(after.ComputeNodeSet, before.ComputeNodeSet);

    // By two: the two RUNNING nodes are destroyed, never the CREATING ones.
    await batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 2 });
    const lowered = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(lowered.DesiredComputeNodeCount, 2);
    assert.equal(lowered.ComputeNodeMetrics.DeletingCount, 2);
    assert.equal(lowered.ComputeNodeMetrics.CreatingCount, 2);
    assert.equal(lowered.ComputeNodeMetrics.RunningCount, 0);
  });

  it("TerminateComputeNode(s) refuses a CREATING node with ComputeNodeForbidTerminate",
     async () => {
       const envId = (await batch.CreateComputeEnv(spotEnvRequest("young", 2))).EnvId;
       await sim.tick(1);
       const env = await batch.DescribeComputeEnv({ EnvId: envId });
       assert.deepEqual(states(env), ["CREATING", "CREATING"]);
       const [first, second] = env.ComputeNodeSet.map((n) => n.ComputeNodeId);
       await expectCode(batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: first }),
                        "UnsupportedOperation.ComputeNodeForbidTerminate");
       await expectCode(
           batch.TerminateComputeNodes({ EnvId: envId, ComputeNodeIds: [first, second] }),
           "UnsupportedOperation.ComputeNodeForbidTerminate");
       const still = await batch.DescribeComputeEnv({ EnvId: envId });
       assert.deepEqual(states(still), ["CREATING", "CREATING"]);
       // Once RUNNING (--create-ticks 4) the node may go.
       await tickUntilRunning(sim, batch, envId, 2);
       await batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: first });
     });

  it("answers ComputeEnvAcceptOtherRequest right after a modifying call", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("busy", 1))).EnvId;
    await batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 2 });
    await expectCode(batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 3 }),
                     "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
    await expectCode(batch.DeleteComputeEnv({ EnvId: envId }),
                     "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
    const env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(env.DesiredComputeNodeCount, 2);
    await sim.tick(1);  // --busy-ticks 1 (default)
    await batch.ModifyComputeEnv({ EnvId: envId, DesiredComputeNodeCount: 3 });
  });
});

describe("Batch placeholder nodes while stock is short (default switches)", () => {
  let sim;
  let batch;
  let cvm;
  useSim((started) => ({ sim, batch, cvm } = started), { market: [kZone, kType, 0.1, 0] });

  it("shows SUBMITTED then CREATION_FAILED nodes without an instance, and creates them " +
     "when stock appears", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("waiting", 2))).EnvId;
    await sim.tick(1);
    let env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.deepEqual(states(env), ["SUBMITTED", "SUBMITTED"]);
    for (const node of env.ComputeNodeSet) {
      assert.match(node.ComputeNodeId, /^node-[a-z0-9]{8}$/);
      assert.equal(node.ComputeNodeInstanceId, "");
    }
    assert.equal(env.ComputeNodeMetrics.SubmittedCount, 2);
    assert.equal(env.DesiredComputeNodeCount, 2);
    const listed = (await batch.DescribeComputeEnvs({ EnvIds: [envId] })).ComputeEnvSet[0];
    assert.equal(listed.ComputeNodeMetrics.SubmittedCount, 2);

    await sim.tick(1);
    env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.deepEqual(states(env), ["CREATION_FAILED", "CREATION_FAILED"]);
    assert.equal(env.ComputeNodeMetrics.CreationFailedCount, 2);
    assert.equal(env.ComputeNodeMetrics.SubmittedCount, 0);
    const activities = await batch.DescribeComputeEnvActivities({ EnvId: envId });
    const failed = activities.ActivitySet.filter(
        (a) => a.ComputeNodeActivityType === "CREATE_COMPUTE_NODE" && a.ActivityState === "FAILED");
    assert.equal(failed.length, 2, JSON.stringify(activities.ActivitySet));
    for (const activity of failed) assert.match(activity.StateReason, /InsufficientOffering/);
    const spot = await cvm.DescribeInstances({});
    assert.equal(spot.TotalCount, 0, "a placeholder has no CVM instance");

    const ids = env.ComputeNodeSet.map((n) => n.ComputeNodeId);
    await sim.market(kZone, kType, 0.1, 10);
    await sim.tick(1);
    env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.deepEqual(states(env), ["CREATING", "CREATING"]);
    assert.deepEqual(env.ComputeNodeSet.map((n) => n.ComputeNodeId), ids, "the same nodes");
    for (const node of env.ComputeNodeSet) assert.match(node.ComputeNodeInstanceId, /^ins-/);
    const running = await tickUntilRunning(sim, batch, envId, 2);
    assert.equal(nodesIn(running, "RUNNING").length, 2);
  });

  it("a CREATION_FAILED placeholder may be terminated, a SUBMITTED one may not", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("cancel", 1))).EnvId;
    await sim.tick(1);
    const submitted = (await batch.DescribeComputeEnv({ EnvId: envId })).ComputeNodeSet[0];
    await expectCode(
        batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: submitted.ComputeNodeId }),
        "UnsupportedOperation.ComputeNodeForbidTerminate");
    await sim.tick(1);
    await batch.TerminateComputeNode({ EnvId: envId, ComputeNodeId: submitted.ComputeNodeId });
    const env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.deepEqual(env.ComputeNodeSet, [], "removed at once (it had no instance)");
  });

  it("--scale-in manual cancels placeholders above a lowered count", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("shrink", 3))).EnvId;
    await sim.tick(2);
    await modifyWhenIdle(sim, batch, { EnvId: envId, DesiredComputeNodeCount: 1 });
    await sim.tick(1);
    const env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(env.DesiredComputeNodeCount, 1);
    assert.equal(env.ComputeNodeSet.length, 1);
    assert.equal(env.ComputeNodeSet[0].ComputeNodeInstanceId, "");
  });

  it("DeleteComputeEnv removes placeholders at once", async () => {
    const envId = (await batch.CreateComputeEnv(spotEnvRequest("gone", 2))).EnvId;
    await sim.tick(2);
    await batch.DeleteComputeEnv({ EnvId: envId });
    const env = await batch.DescribeComputeEnv({ EnvId: envId });
    assert.equal(env.NextAction, "DELETING");
    assert.deepEqual(env.ComputeNodeSet, []);
    await sim.tick(1);
    await expectCode(batch.DescribeComputeEnv({ EnvId: envId }), "ResourceNotFound.ComputeEnv");
  });
});
