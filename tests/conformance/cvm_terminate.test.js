// CVM TerminateInstances and spot reclaim through the official Node.js SDK: which states may
// be terminated, the TERMINATING -> gone sequence, and unknown ids.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { useSim, spotRequest, expectCode, describeById, kZone, kType } = require("./sim_harness");

describe("TerminateInstances", () => {
  let sim;
  let cvm;
  useSim((started) => ({ sim, cvm } = started), { market: [kZone, kType, 0.1, 10] });

  const stateOf = async (id) => {
    const found = (await describeById(cvm, [id])).get(id);
    return found ? found.InstanceState : "gone";
  };

  it("rejects PENDING, terminates RUNNING, rejects TERMINATING, then the instance is gone",
     async () => {
       const [id] = (await cvm.RunInstances(spotRequest())).InstanceIdSet;
       assert.equal(await stateOf(id), "PENDING");
       await expectCode(cvm.TerminateInstances({ InstanceIds: [id] }),
                        "UnsupportedOperation.InstanceStatePending");
       assert.equal(await stateOf(id), "PENDING");

       await sim.tickUntil(async () => (await stateOf(id)) === "RUNNING", "RUNNING");
       const out = await cvm.TerminateInstances({ InstanceIds: [id] });
       assert.match(out.RequestId, /\S/);
       assert.equal(await stateOf(id), "TERMINATING");
       await expectCode(cvm.TerminateInstances({ InstanceIds: [id] }),
                        "UnsupportedOperation.InstanceStateTerminating");

       await sim.tickUntil(async () => (await stateOf(id)) === "gone", "gone");
       const listed = await cvm.DescribeInstances({ InstanceIds: [id] });
       assert.equal(listed.TotalCount, 0);
       assert.deepEqual(await sim.instances(), []);
     });

  it("frees the capacity of a terminated instance once it is gone", async () => {
    await sim.market(kZone, kType, 0.1, 1);
    const [id] = (await cvm.RunInstances(spotRequest())).InstanceIdSet;
    await expectCode(cvm.RunInstances(spotRequest()), "InvalidParameterValue.InsufficientOffering");
    await sim.tickUntil(async () => (await stateOf(id)) === "RUNNING", "RUNNING");
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await sim.tickUntil(async () => (await stateOf(id)) === "gone", "gone");
    const again = await cvm.RunInstances(spotRequest());
    assert.equal(again.InstanceIdSet.length, 1);
  });

  it("rejects an unknown id with InvalidInstanceId.NotFound and terminates nothing", async () => {
    const [id] = (await cvm.RunInstances(spotRequest())).InstanceIdSet;
    await sim.tickUntil(async () => (await stateOf(id)) === "RUNNING", "RUNNING");
    await expectCode(cvm.TerminateInstances({ InstanceIds: [id, "ins-zzzzzzzz"] }),
                     "InvalidInstanceId.NotFound");
    assert.equal(await stateOf(id), "RUNNING");
  });

  it("rejects a malformed id", async () => {
    await expectCode(cvm.TerminateInstances({ InstanceIds: ["ins-1122"] }),
                     "InvalidInstanceId.Malformed");
  });

  it("requires InstanceIds", async () => {
    await expectCode(cvm.TerminateInstances({}), "MissingParameter");
  });

  it("a reclaimed instance goes TERMINATING and then disappears", async () => {
    const ids = (await cvm.RunInstances(spotRequest({ count: 2 }))).InstanceIdSet;
    await sim.tickUntil(async () => {
      const now = await describeById(cvm, ids);
      return [...now.values()].every((i) => i.InstanceState === "RUNNING");
    }, "RUNNING");
    await sim.reclaim([ids[0]]);
    assert.equal(await stateOf(ids[0]), "TERMINATING");
    assert.equal(await stateOf(ids[1]), "RUNNING");
    await sim.tickUntil(async () => (await stateOf(ids[0])) === "gone", "gone");
    assert.equal(await stateOf(ids[1]), "RUNNING");
  });
});
