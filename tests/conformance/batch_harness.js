// Batch Compute helpers for the conformance suite: a SPOTPAID managed environment request and
// waits on node counts, all through the official Node.js SDK's Batch client.
"use strict";

const { spotCharge, kZone, kType, kImage } = require("./sim_harness");

// A CreateComputeEnv request for a MANAGED spot environment of `desired` nodes.
function spotEnvRequest(name, desired, { zone = kZone, maxPrice = "0.50" } = {}) {
  return {
    ComputeEnv: {
      EnvName: name,
      EnvDescription: "conformance",
      EnvType: "MANAGED",
      DesiredComputeNodeCount: desired,
      EnvData: { InstanceType: kType, ImageId: kImage, ...spotCharge(maxPrice) },
    },
    Placement: { Zone: zone },
  };
}

// Nodes of `env` (a DescribeComputeEnv response) in `state`.
function nodesIn(env, state) {
  return env.ComputeNodeSet.filter((n) => n.ComputeNodeState === state);
}

// Ticks until the environment has exactly `count` nodes, all RUNNING; returns the env.
async function tickUntilRunning(sim, batch, envId, count, limit = 40) {
  return sim.tickUntil(async () => {
    const env = await batch.DescribeComputeEnv({ EnvId: envId });
    const ok = env.ComputeNodeSet.length === count && nodesIn(env, "RUNNING").length === count;
    return ok ? env : null;
  }, `${count} RUNNING nodes in ${envId}`, limit);
}

// Runs `call()` (a modifying Batch call), ticking while the environment is still applying a
// previous change (UnsupportedOperation.ComputeEnvAcceptOtherRequest); returns its result.
async function whenIdle(sim, what, call, limit = 40) {
  return sim.tickUntil(async () => {
    try {
      return (await call()) || true;
    } catch (e) {
      if (e.code === "UnsupportedOperation.ComputeEnvAcceptOtherRequest") return null;
      throw e;
    }
  }, `${what} accepted`, limit);
}

// ModifyComputeEnv once the environment accepts modifications again.
function modifyWhenIdle(sim, batch, request) {
  return whenIdle(sim, `ModifyComputeEnv ${request.EnvId}`, () => batch.ModifyComputeEnv(request));
}

module.exports = { spotEnvRequest, nodesIn, tickUntilRunning, whenIdle, modifyWhenIdle };
