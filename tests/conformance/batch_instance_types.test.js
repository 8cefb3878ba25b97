// Batch Compute fallback instance types through the official Node.js SDK: CreateComputeEnv
// with EnvData.InstanceTypes (tried in order), the fallback to a later type when the first is
// sold out, and ModifyComputeEnv with EnvData { InstanceTypes } for the nodes created after.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { useSim, expectCode, describeById, kZone, kType } = require("./sim_harness");
const { spotEnvRequest, tickUntilRunning, modifyWhenIdle } = require("./batch_harness");

const kSecondType = "SA2.MEDIUM4";

// A spot environment request naming `types` as EnvData.InstanceTypes (no InstanceType).
function typesEnvRequest(name, desired, types) {
  const request = spotEnvRequest(name, desired);
  delete request.ComputeEnv.EnvData.InstanceType;
  request.ComputeEnv.EnvData.InstanceTypes = types;
  return request;
}

// The instance types of the environment's nodes' CVM instances, sorted.
async function nodeTypes(cvm, env) {
  const instances = await describeById(cvm, env.ComputeNodeSet.map((n) => n.ComputeNodeInstanceId));
  return [...instances.values()].map((i) => i.InstanceType).sort();
}

describe("Batch compute environments with fallback InstanceTypes", () => {
  let sim;
  let batch;
  let cvm;
  useSim((started) => ({ sim, batch, cvm } = started));

  it("creates an environment from EnvData.InstanceTypes, first type first", async () => {
    const created = await batch.CreateComputeEnv(
      typesEnvRequest("types", 2, [kType, kSecondType]));
    assert.match(created.EnvId, /^env-[a-z0-9]{8}$/);
    const env = await tickUntilRunning(sim, batch, created.EnvId, 2);
    assert.deepEqual(await nodeTypes(cvm, env), [kType, kType]);
  });

  it("falls back to the second type while the first is sold out", async () => {
    await sim.market(kZone, kType, 0.09, 0);
    const envId = (await batch.CreateComputeEnv(
      typesEnvRequest("fallback", 2, [kType, kSecondType]))).EnvId;
    const env = await tickUntilRunning(sim, batch, envId, 2);
    assert.deepEqual(await nodeTypes(cvm, env), [kSecondType, kSecondType]);
  });

  it("refuses InstanceType with InstanceTypes, duplicates, an empty list and unknown types",
     async () => {
       const both = typesEnvRequest("both", 1, [kType]);
       both.ComputeEnv.EnvData.InstanceType = kType;
       await expectCode(batch.CreateComputeEnv(both),
                        "InvalidParameter.InvalidParameterCombination");
       await expectCode(batch.CreateComputeEnv(typesEnvRequest("dup", 1, [kType, kType])),
                        "InvalidParameterValue.InstanceTypeDuplicate");
       await expectCode(batch.CreateComputeEnv(typesEnvRequest("none", 1, [])),
                        "InvalidParameterValue.InstanceTypesEmpty");
       await expectCode(batch.CreateComputeEnv(typesEnvRequest("odd", 1, ["ZZ9.HUGE1"])),
                        "InvalidParameterValue.InstanceType");
     });

  it("ModifyComputeEnv EnvData.InstanceTypes: nodes created afterwards use the new list",
     async () => {
       const envId = (await batch.CreateComputeEnv(
         typesEnvRequest("switch", 1, [kType]))).EnvId;
       let env = await tickUntilRunning(sim, batch, envId, 1);
       assert.deepEqual(await nodeTypes(cvm, env), [kType]);

       await modifyWhenIdle(sim, batch, { EnvId: envId, EnvData: { InstanceTypes: [kSecondType] } });
       await modifyWhenIdle(sim, batch, { EnvId: envId, DesiredComputeNodeCount: 2 });
       env = await tickUntilRunning(sim, batch, envId, 2);
       assert.deepEqual(await nodeTypes(cvm, env), [kType, kSecondType].sort());

       await expectCode(
         modifyWhenIdle(sim, batch, { EnvId: envId, EnvData: { InstanceTypes: [] } }),
         "InvalidParameterValue.InstanceTypesEmpty");
       await expectCode(
         modifyWhenIdle(sim, batch,
                        { EnvId: envId, EnvData: { InstanceTypes: [kType, kType] } }),
         "InvalidParameterValue.InstanceTypeDuplicate");
       // EnvData of ModifyComputeEnv is ComputeEnvData: InstanceTypes and nothing else.
       await expectCode(
         modifyWhenIdle(sim, batch, {
           EnvId: envId, EnvData: { InstanceTypes: [kType], ImageId: "img-pmqg1cw7" },
         }),
         "UnknownParameter");
     });
});
